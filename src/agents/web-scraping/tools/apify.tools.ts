import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { ToolError } from '../../../sdk/tool-error.js';
import { GrantedSecretLocked, grantedSecret } from '../../../vault/granted-secret.js';
import type { VaultService } from '../../../vault/vault.service.js';
import { attach } from './results.js';
import { WEB_SCRAPING_EXAMPLES } from './web-scraping.examples.js';

export interface ApifySettings {
  /** APIFY_API_BASE (a stand-in in tests); Apify's own API otherwise. */
  apiBase?: string;
  vault?: VaultService;
  agentNumber: number;
}

/** Runs an Apify Actor with the person's own token (vault service `apify`, field `token`, granted to #7). */
export function apifyTools(settings: ApifySettings): ToolDefinition[] {
  return [
    defineTool({
      name: 'apify_run',
      description: 'Run an Apify Actor (with your Apify token from the vault) and get its results as a file',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      input: z.object({
        actor: z
          .string()
          .trim()
          .regex(/^[\w.-]+[/~][\w.-]+$|^\w{17}$/, 'expected an Actor such as apify/web-scraper'),
        input: z.record(z.string(), z.unknown()).optional(),
        maxItems: z.number().int().min(1).max(10_000).default(1000),
      }),
      examples: WEB_SCRAPING_EXAMPLES.apify_run,
      extract: (text) => ({ actor: /\b([\w.-]+\/[\w.-]+)\b/.exec(text.replace(/https?:\/\/\S+/g, ''))?.[1] }),
      handler: async (p, ctx) => {
        let secret: Record<string, unknown> | undefined;
        try {
          secret = await grantedSecret(settings.vault, ctx.userId, settings.agentNumber, 'apify', false);
        } catch (err) {
          if (err instanceof GrantedSecretLocked) throw new ToolError(err.message);
          throw err;
        }
        const token = typeof secret?.token === 'string' ? secret.token : undefined;
        if (!token)
          throw new ToolError(
            `Apify needs your API token: store it in your vault as service "apify" with a "token" field, and grant it to agent #${settings.agentNumber}`,
          );
        const { ApifyClient, ApifyApiError } = await import('apify-client');
        const client = new ApifyClient({ token, baseUrl: settings.apiBase, maxRetries: 2, timeoutSecs: 120 });
        try {
          const run = await client.actor(p.actor).call(p.input ?? {}, { waitSecs: 300, log: null });
          if (run.status !== 'SUCCEEDED')
            return {
              text: `The Actor ${p.actor} ended ${run.status.toLowerCase()} (run ${run.id}).`,
              data: { runId: run.id, status: run.status },
            };
          const { items, total } = await client.dataset(run.defaultDatasetId).listItems({ limit: p.maxItems });
          return {
            text: `${p.actor} finished: ${items.length} result(s)${total > items.length ? ` of ${total}` : ''}, attached as JSON.`,
            data: { runId: run.id, status: run.status, datasetId: run.defaultDatasetId, count: items.length, total },
            attachments: [
              attach(
                `${p.actor.replace(/[/~]/g, '-')}-${run.id}.json`,
                'application/json',
                JSON.stringify(items, null, 2),
              ),
            ],
          };
        } catch (err) {
          // Apify said no (unknown Actor, bad token): its message, never the token.
          if (err instanceof ApifyApiError) throw new ToolError(`Apify refused: ${err.message.split('\n')[0]}`);
          throw err;
        }
      },
    }),
  ];
}
