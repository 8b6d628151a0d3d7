import { z } from 'zod';
import { DomainError } from '../../../common/errors.js';
import { VaultLockedError, type CredentialSummary, type VaultService } from '../../../vault/vault.service.js';
import { defineTool, type ToolContext, type ToolDefinition, type ToolResult } from '../../../sdk/agent.contract.js';
import { ToolError } from '../../../sdk/tool-error.js';
import { serviceFrom, type SecretField } from '../phrases.js';

/**
 * What the vault tools share: the service and secret-field inputs, the rule that the vault answers
 * in a direct conversation only, the master-password prompt of a locked vault, and finding and
 * revealing one credential.
 */

export const service = z
  .string()
  .trim()
  .min(1, 'name the service, e.g. github')
  .max(255)
  .transform((s) => s.toLowerCase());
export const secretFields = {
  username: z.string().max(500).optional(),
  password: z.string().max(4000).optional(),
  apiKey: z.string().max(4000).optional(),
  totp: z.string().max(2000).optional(),
  notes: z.string().max(4000).optional(),
};
export const FIELD_LABEL: Record<SecretField, string> = {
  username: 'username',
  password: 'password',
  apiKey: 'API key',
  totp: 'TOTP secret',
  notes: 'notes',
};
export const UNLOCK_PROMPT = { tool: 'unlock', parameter: 'password', label: 'Master password' };

/**
 * The vault answers the owner in a private conversation only: a DM, the console, their own API
 * token. Other agents read granted secrets through VaultService.secretFor, never through these tools.
 */
export function requireDirect(ctx: ToolContext): void {
  if (ctx.caller?.direct) return;
  if (ctx.caller?.kind === 'chat')
    throw new ToolError('The password vault works only in a direct message with me: write to me privately.');
  throw new ToolError(
    'The password vault does not answer other agents, workflows or outside MCP clients. To let an agent use a secret, grant it: "grant #1 stripe".',
  );
}

/** Runs vault work; a locked vault becomes a request for the master password, not an error. */
export async function withVault(
  vault: VaultService,
  userId: string,
  work: () => Promise<ToolResult>,
): Promise<ToolResult> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof VaultLockedError) {
      const { created } = await vault.status(userId);
      return {
        text: created
          ? 'Your vault is locked. Unlock it with your master password, then ask again.'
          : 'You have no vault yet. Choose a master password for it (at least 12 characters; it cannot be recovered), then ask again.',
        secretPrompt: UNLOCK_PROMPT,
      };
    }
    if (err instanceof DomainError) throw new ToolError(err.message);
    throw err;
  }
}

export async function find(vault: VaultService, userId: string, name: string): Promise<CredentialSummary> {
  const all = await vault.list(userId, 'user');
  const hit = all.find((c) => c.serviceName.toLowerCase() === name);
  if (hit) return hit;
  const near = all.filter(
    (c) => c.serviceName.toLowerCase().includes(name) || name.includes(c.serviceName.toLowerCase()),
  );
  const names = (near.length ? near : all).map((c) => c.serviceName);
  throw new ToolError(
    `Nothing is stored for ${name}.${names.length ? ` You have: ${names.slice(0, 10).join(', ')}.` : ' The vault is empty.'}`,
  );
}

/** The credential named in the words, and its secret (audited as a reveal by the person). */
export async function revealed(
  vault: VaultService,
  userId: string,
  name: string,
): Promise<{ c: CredentialSummary; data: Record<string, unknown> }> {
  const c = await find(vault, userId, name);
  return { c, data: await vault.reveal(userId, c.id, 'user') };
}

/**
 * A sensitive tool that names one service and answers from its revealed secret: direct conversations
 * only, a locked vault asks for the master password, every reveal audited.
 */
export function revealTool(
  vault: VaultService,
  tool: Pick<ToolDefinition, 'name' | 'description' | 'examples'>,
  answer: (c: CredentialSummary, data: Record<string, unknown>) => Promise<ToolResult>,
): ToolDefinition {
  return defineTool({
    ...tool,
    // A reveal changes nothing (it is audited, as every read of the vault is).
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
    input: z.object({ service }),
    sensitive: true,
    extract: (text) => ({ service: serviceFrom(text) }),
    handler: async (p, ctx) => {
      requireDirect(ctx);
      return withVault(vault, ctx.userId, async () => {
        const { c, data } = await revealed(vault, ctx.userId, p.service);
        return answer(c, data);
      });
    },
  });
}

export function secretData(p: Partial<Record<SecretField, string | undefined>>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const key of Object.keys(FIELD_LABEL) as SecretField[]) if (p[key]) data[key] = p[key];
  return data;
}

export function describe(data: Record<string, unknown>): string {
  return Object.keys(data)
    .map((k) => FIELD_LABEL[k as SecretField] ?? k)
    .join(', ');
}
