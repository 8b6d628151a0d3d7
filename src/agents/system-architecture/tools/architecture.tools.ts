import { z } from 'zod';
import type { PaiosConfig } from '../../../config/config.schema.js';
import { DomainError } from '../../../common/errors.js';
import type { UserRepository } from '../../../orchestrator/identity/user.repository.js';
import type { AgentRegistry } from '../../../orchestrator/registry/agent-registry.js';
import { defineTool, type ToolContext, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { answering, ToolError } from '../../../sdk/tool-error.js';
import { displayName, type ArchitectureView } from '../architecture.model.js';
import type { ArchitectureService } from '../architecture.service.js';
import { ARCHITECTURE_EXAMPLES } from './architecture.examples.js';

const agentNumber = (text: string): number | undefined => {
  const m = /#\s*(\d{1,3})\b|\bagent\s+(\d{1,3})\b/i.exec(text);
  return m ? Number(m[1] ?? m[2]) : undefined;
};

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** "agent.disable" -> "disable". */
const kind = (type: string) => type.replace(/^agent\./, '');

export interface ArchitectureDeps {
  architecture: ArchitectureService;
  registry: AgentRegistry;
  users: UserRepository;
  config: PaiosConfig;
}

async function isOwner(deps: ArchitectureDeps, ctx: ToolContext): Promise<boolean> {
  const user = await deps.users.findById(ctx.userId);
  return user !== null && (await deps.users.isAdmin(user, deps.config.adminEmails));
}

/** Only the owner (PAIOS_ADMIN_EMAILS, else the owner made by `paios init` or the first token) changes the running system. */
async function requireAdmin(deps: ArchitectureDeps, ctx: ToolContext): Promise<void> {
  if (!(await isOwner(deps, ctx))) throw new ToolError('Only the owner of this paios can change the running system.');
}

export function architectureTools(deps: ArchitectureDeps): ToolDefinition[] {
  const { architecture, registry } = deps;
  const label = (n: number) => `#${n} ${displayName(registry.get(n)?.name ?? 'unknown')}`;
  return [
    defineTool({
      name: 'show_architecture',
      description: 'Draw the running system (or one agent and its neighbours, or the workflows) as a diagram',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({
        view: z.enum(['system', 'agent', 'workflows']).optional(),
        agent: z.number().int().positive().optional(),
        format: z.enum(['png', 'svg']).optional(),
      }),
      examples: ARCHITECTURE_EXAMPLES.show_architecture,
      extract: (text) => ({
        agent: /\bagent\b|#\s*\d/.test(text) ? agentNumber(text) : undefined,
        view: /\bworkflows?\b/i.test(text) ? ('workflows' as const) : undefined,
        format: /\bsvg\b/i.test(text) ? ('svg' as const) : undefined,
      }),
      handler: async (p, ctx) => {
        const view: ArchitectureView =
          p.agent !== undefined && p.view !== 'workflows' && p.view !== 'system'
            ? { kind: 'agent', agent: p.agent }
            : { kind: p.view === 'workflows' ? 'workflows' : 'system' };
        if (view.kind === 'agent' && !registry.has(view.agent))
          throw new ToolError(`There is no agent #${view.agent}.`);
        const format = p.format ?? 'png';
        const { model, mermaid, data, error } = await architecture.draw(view, format, ctx.userId);
        const title =
          view.kind === 'agent'
            ? `Agent ${label(view.agent)} and its neighbours`
            : view.kind === 'workflows'
              ? `Workflows (${model.workflows.length})`
              : `paios ${model.version}: ${count(model.agents.length, 'agent')}, ${count(model.workflows.length, 'workflow')}, ${count(model.adapters.length, 'chat platform')}`;
        if (!data)
          return {
            text: `${title}\n\nI cannot draw it right now (${error}). Here is the Mermaid source:\n\n\`\`\`mermaid\n${mermaid}\`\`\``,
            data: { view: view.kind, mermaid, error },
          };
        return {
          text: title,
          attachments: [
            {
              filename: `paios-architecture.${format}`,
              mimeType: format === 'png' ? 'image/png' : 'image/svg+xml',
              data: data.toString('base64'),
            },
          ],
          data: { view: view.kind, mermaid },
        };
      },
    }),
    defineTool({
      name: 'health_report',
      description: 'How the running system is: agents, chat platforms, database, cache, jobs',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({}),
      examples: ARCHITECTURE_EXAMPLES.health_report,
      handler: async (_p, ctx) => {
        const model = await architecture.model(ctx.userId);
        const unwell = model.agents.filter((a) => a.state !== 'active' && a.state !== 'disabled');
        const lines = [
          unwell.length ? `⚠ ${unwell.length} agent(s) need attention` : '✅ every enabled agent is running',
          '',
          '**Agents**',
          ...model.agents.map(
            (a) =>
              `- #${a.number} ${displayName(a.name)} v${a.version}: ${a.state}${a.inFlight ? `, ${a.inFlight} call(s) in flight` : ''}`,
          ),
          '',
          '**Chat**',
          ...(model.adapters.length
            ? model.adapters.map(
                (a) => `- ${displayName(a.platform)}: ${a.state} (${a.modes.join(', ') || 'outbound'})`,
              )
            : ['- no platform configured']),
          '',
          '**Infrastructure**',
          `- database: ${model.infrastructure.database}; cache: ${model.infrastructure.cache}; jobs: ${model.infrastructure.jobs}${model.infrastructure.llm ? `; LLM: ${model.infrastructure.llm}` : ''}`,
          `- diagrams: ${architecture.renderer.available ? 'browser found' : 'no browser (diagrams come as Mermaid text)'}`,
        ];
        return { text: lines.join('\n'), data: model };
      },
    }),
    defineTool({
      name: 'list_agents',
      description: 'List the agents with their number, version and state',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({}),
      cacheTtlSeconds: 5,
      examples: ARCHITECTURE_EXAMPLES.list_agents,
      handler: async () => {
        const slots = registry.list().sort((a, b) => a.agentNumber - b.agentNumber);
        return {
          text: slots
            .map(
              (s) =>
                `#${s.agentNumber} ${displayName(s.name)} v${s.version}: ${s.enabled ? s.state : 'disabled'}${s.source === 'external' ? ' (MCP)' : ''} - ${s.description}`,
            )
            .join('\n'),
          data: slots.map((s) => ({
            number: s.agentNumber,
            name: s.name,
            version: s.version,
            state: s.state,
            enabled: s.enabled,
          })),
        };
      },
    }),
    defineTool({
      name: 'what_changed',
      description: 'Recent changes to the running system (enable, disable, reconfigure, upgrade, rollback)',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({ limit: z.number().int().min(1).max(50).optional() }),
      examples: ARCHITECTURE_EXAMPLES.what_changed,
      // The journal is the owner's: others see what changed and when, never configuration values.
      handler: async (p, ctx) => {
        const history = await registry.history((await isOwner(deps, ctx)) ? 'owner' : 'other', p.limit ?? 10);
        if (!history.length) return { text: 'Nothing has been changed yet.' };
        const lines = history.map((m) => {
          const n = m.after?.agentNumber ?? m.before?.agentNumber;
          const when = m.appliedAt.replace('T', ' ').slice(0, 16);
          return `- ${when} UTC ${kind(m.type)}${n !== undefined ? ` ${label(n)}` : ''}${m.rollbackAvailable ? '' : ' (cannot be rolled back)'} · ${m.id.slice(0, 8)}`;
        });
        return { text: `Latest changes, newest first:\n${lines.join('\n')}`, data: history };
      },
    }),
    defineTool({
      name: 'modify',
      description: 'Enable, disable or reconfigure an agent (asks to confirm first)',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
      input: z.object({
        agent: z.number().int().positive(),
        action: z.enum(['enable', 'disable', 'reconfigure']),
        config: z.record(z.string(), z.unknown()).optional(),
        confirm: z.boolean().optional(),
      }),
      examples: ARCHITECTURE_EXAMPLES.modify,
      extract: (text) => {
        const action: 'enable' | 'disable' | 'reconfigure' | undefined = /\b(disable|turn off|switch off|stop)\b/i.test(
          text,
        )
          ? 'disable'
          : /\b(reconfigure|configure|set)\b/i.test(text)
            ? 'reconfigure'
            : /\b(enable|turn on|switch on|start)\b/i.test(text)
              ? 'enable'
              : undefined;
        const pairs = [
          ...text.matchAll(/\b([a-z][A-Za-z0-9]*)\s*(?:=|:|\s)\s*("[^"]*"|[A-Z]{3}\b|\d+(?:\.\d+)?|true|false)/g),
        ];
        const config: Record<string, unknown> = {};
        for (const [, key, raw] of pairs) {
          if (!key || raw === undefined || ['agent', 'with', 'to'].includes(key)) continue;
          config[key] = /^".*"$/.test(raw)
            ? raw.slice(1, -1)
            : /^(true|false)$/.test(raw)
              ? raw === 'true'
              : Number.isNaN(Number(raw))
                ? raw
                : Number(raw);
        }
        return {
          agent: agentNumber(text),
          action,
          config: action === 'reconfigure' && Object.keys(config).length ? config : undefined,
          confirm: /\bconfirm(ed)?\b/i.test(text) || undefined,
        };
      },
      handler: async (p, ctx) => {
        await requireAdmin(deps, ctx);
        const slot = registry.get(p.agent);
        if (!slot) throw new ToolError(`There is no agent #${p.agent}.`);
        if (p.action === 'reconfigure' && !p.config)
          throw new ToolError('Say what to set, e.g. "reconfigure #15 defaultCurrency EUR".');
        const what =
          p.action === 'reconfigure'
            ? `reconfigure ${label(p.agent)} with ${JSON.stringify(p.config)}`
            : `${p.action} ${label(p.agent)}`;
        if (!p.confirm) {
          const command =
            p.action === 'reconfigure'
              ? `#31 modify agent ${p.agent} reconfigure ${Object.entries(p.config!)
                  .map(([k, v]) => `${k}=${typeof v === 'string' ? `"${v}"` : String(v)}`)
                  .join(' ')} confirm`
              : `#31 modify ${p.action} agent ${p.agent} confirm`;
          return {
            text: `${what[0]!.toUpperCase()}${what.slice(1)}? This changes the running system for everyone; it can be rolled back.`,
            buttons: [
              { label: `Yes, ${p.action}`, value: command, style: p.action === 'disable' ? 'danger' : 'primary' },
              { label: 'Cancel', value: '#31 list_agents' },
            ],
          };
        }
        return answering([DomainError], async () => {
          const after =
            p.action === 'enable'
              ? await registry.enable(p.agent, ctx.userId)
              : p.action === 'disable'
                ? await registry.disable(p.agent, ctx.userId)
                : await registry.reconfigure(p.agent, p.config!, ctx.userId);
          const [latest] = await registry.history('owner', 1);
          return {
            text: `Done: ${label(p.agent)} is ${after.enabled ? after.state : 'disabled'} (v${after.version}). Say "roll back the last change" to undo.`,
            data: { modificationId: latest?.id, agent: after.agentNumber, state: after.state, enabled: after.enabled },
          };
        });
      },
    }),
    defineTool({
      name: 'rollback',
      description: 'Undo a change to the running system (the last one, or one by id; asks to confirm first)',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
      input: z.object({ modification: z.string().min(4).optional(), confirm: z.boolean().optional() }),
      examples: ARCHITECTURE_EXAMPLES.rollback,
      extract: (text) => ({
        modification: /\b([0-9a-f]{8}(?:-[0-9a-f-]{4,})?)\b/i.exec(text)?.[1],
        confirm: /\bconfirm(ed)?\b/i.test(text) || undefined,
      }),
      handler: async (p, ctx) => {
        await requireAdmin(deps, ctx);
        const history = await registry.history('owner', 50);
        const target = p.modification
          ? history.find((m) => m.id.startsWith(p.modification!.toLowerCase()))
          : history.find((m) => m.rollbackAvailable && m.type !== 'rollback');
        if (!target)
          throw new ToolError(
            p.modification ? `No change ${p.modification} in the recent history.` : 'There is nothing to roll back.',
          );
        const n = target.after?.agentNumber ?? target.before?.agentNumber;
        const what = `${kind(target.type)}${n !== undefined ? ` of ${label(n)}` : ''} (${target.appliedAt.slice(0, 16).replace('T', ' ')} UTC)`;
        if (!p.confirm)
          return {
            text: `Roll back the ${what}?`,
            buttons: [
              { label: 'Yes, roll back', value: `#31 rollback ${target.id} confirm`, style: 'danger' },
              { label: 'Cancel', value: '#31 what_changed' },
            ],
          };
        return answering([DomainError], async () => {
          const after = await registry.rollback(target.id, ctx.userId);
          return {
            text: `Rolled back the ${what}: ${label(after.agentNumber)} is ${after.enabled ? after.state : 'disabled'} (v${after.version}).`,
          };
        });
      },
    }),
  ];
}
