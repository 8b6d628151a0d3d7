import { z } from 'zod';
import { DomainError } from '../../../common/errors.js';
import { VaultLockedError, type CredentialSummary, type VaultService } from '../../../vault/vault.service.js';
import { defineTool, type ToolContext, type ToolDefinition, type ToolResult } from '../../../sdk/agent.contract.js';
import { ToolError } from '../../../sdk/tool-error.js';
import { fieldsFrom, serviceFrom, type SecretField } from '../phrases.js';
import type { Clock } from '../../../common/clock.js';
import { currentCode } from '../totp.js';
import { VAULT_EXAMPLES } from './vault.examples.js';

const service = z
  .string()
  .trim()
  .min(1, 'name the service, e.g. github')
  .max(255)
  .transform((s) => s.toLowerCase());
const secretFields = {
  username: z.string().max(500).optional(),
  password: z.string().max(4000).optional(),
  apiKey: z.string().max(4000).optional(),
  totp: z.string().max(2000).optional(),
  notes: z.string().max(4000).optional(),
};
const FIELD_LABEL: Record<SecretField, string> = {
  username: 'username',
  password: 'password',
  apiKey: 'API key',
  totp: 'TOTP secret',
  notes: 'notes',
};
const UNLOCK_PROMPT = { tool: 'unlock', parameter: 'password', label: 'Master password' };

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
async function withVault(vault: VaultService, userId: string, work: () => Promise<ToolResult>): Promise<ToolResult> {
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

async function find(vault: VaultService, userId: string, name: string): Promise<CredentialSummary> {
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
async function revealed(
  vault: VaultService,
  userId: string,
  name: string,
): Promise<{ c: CredentialSummary; data: Record<string, unknown> }> {
  const c = await find(vault, userId, name);
  return { c, data: await vault.reveal(userId, c.id, 'user') };
}

function secretData(p: Partial<Record<SecretField, string | undefined>>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const key of Object.keys(FIELD_LABEL) as SecretField[]) if (p[key]) data[key] = p[key];
  return data;
}

function describe(data: Record<string, unknown>): string {
  return Object.keys(data)
    .map((k) => FIELD_LABEL[k as SecretField] ?? k)
    .join(', ');
}

/** `clock` says which 30-second window a TOTP code is for. */
export function vaultTools(vault: VaultService, clock: Clock): ToolDefinition[] {
  return [
    defineTool({
      name: 'unlock',
      description: 'Unlock the password vault with the master password (the first unlock sets it)',
      input: z.object({ password: z.string().max(1000).optional() }),
      sensitive: true,
      examples: VAULT_EXAMPLES.unlock,
      handler: async (p, ctx) => {
        requireDirect(ctx);
        if (!p.password) {
          const status = await vault.status(ctx.userId);
          if (status.unlocked) return { text: 'Your vault is already unlocked.' };
          return {
            text: status.created
              ? 'Enter your master password to unlock the vault.'
              : 'You have no vault yet. Choose a master password (at least 12 characters; a few random words are best). It cannot be recovered if you forget it.',
            secretPrompt: UNLOCK_PROMPT,
          };
        }
        try {
          const { created } = await vault.unlock(ctx.userId, p.password, 'user');
          const minutes = Math.round((await vault.status(ctx.userId)).autoLockSeconds / 60);
          return {
            text: created
              ? `Your vault is set up and unlocked. It locks itself after ${minutes} idle minutes.`
              : `Vault unlocked. It locks itself after ${minutes} idle minutes, or say "lock my vault".`,
          };
        } catch (err) {
          if (err instanceof DomainError) throw new ToolError(`Not unlocked: ${err.message}.`);
          throw err;
        }
      },
    }),
    defineTool({
      name: 'lock',
      description: 'Lock the password vault now (the key is wiped from memory)',
      input: z.object({}),
      examples: VAULT_EXAMPLES.lock,
      handler: async (_p, ctx) => {
        requireDirect(ctx);
        return { text: (await vault.lock(ctx.userId)) ? 'Vault locked.' : 'Your vault was already locked.' };
      },
    }),
    defineTool({
      name: 'store',
      description: 'Store a credential for a service: username, password, API key, TOTP secret, notes',
      input: z.object({ service, ...secretFields }),
      sensitive: true,
      examples: VAULT_EXAMPLES.store,
      extract: (text) => ({ service: serviceFrom(text), ...fieldsFrom(text) }),
      handler: async (p, ctx) => {
        requireDirect(ctx);
        const data = secretData(p);
        if (!data.password && !data.apiKey && !data.totp)
          throw new ToolError(
            `Tell me what to keep for ${p.service}, e.g. "store ${p.service} user alice password …" or "store ${p.service} key …".`,
          );
        return withVault(vault, ctx.userId, async () => {
          const saved = await vault.store(ctx.userId, p.service, data, { fields: Object.keys(data) }, 'user');
          return {
            text: `Stored ${saved.serviceName} (${describe(data)}).`,
            data: { id: saved.id, service: saved.serviceName },
          };
        });
      },
    }),
    defineTool({
      name: 'get',
      description: 'Reveal a stored credential (shown privately, audited)',
      input: z.object({ service }),
      sensitive: true,
      examples: VAULT_EXAMPLES.get,
      extract: (text) => ({ service: serviceFrom(text) }),
      handler: async (p, ctx) => {
        requireDirect(ctx);
        return withVault(vault, ctx.userId, async () => {
          const { c, data } = await revealed(vault, ctx.userId, p.service);
          const lines = Object.entries(data).map(
            ([k, v]) => `${FIELD_LABEL[k as SecretField] ?? k}: \`${String(v).replace(/`/g, "'")}\``,
          );
          return { text: [`**${c.serviceName}**`, ...lines].join('\n') };
        });
      },
    }),
    defineTool({
      name: 'list',
      description: 'List the services in the vault (names only, never secrets)',
      input: z.object({}),
      examples: VAULT_EXAMPLES.list,
      handler: async (_p, ctx) => {
        requireDirect(ctx);
        const all = await vault.list(ctx.userId, 'user');
        const status = await vault.status(ctx.userId);
        if (!all.length) return { text: 'Your vault is empty. Say "store github password …" to keep one.' };
        const lines = all.map((c) => {
          const fields = Array.isArray(c.metadata.fields)
            ? ` (${describe(Object.fromEntries((c.metadata.fields as string[]).map((f) => [f, 1])))})`
            : '';
          return `• ${c.serviceName}${fields}`;
        });
        return {
          text: `${lines.join('\n')}\n\nThe vault is ${status.unlocked ? 'unlocked' : 'locked'}.`,
          data: all.map((c) => ({ id: c.id, service: c.serviceName, metadata: c.metadata })),
        };
      },
    }),
    defineTool({
      name: 'update',
      description: 'Change fields of a stored credential (the others are kept)',
      input: z.object({ service, ...secretFields }),
      sensitive: true,
      examples: VAULT_EXAMPLES.update,
      extract: (text) => ({ service: serviceFrom(text), ...fieldsFrom(text.replace(/\bto\s+/gi, '')) }),
      handler: async (p, ctx) => {
        requireDirect(ctx);
        const changes = secretData(p);
        if (!Object.keys(changes).length)
          throw new ToolError(`Tell me what to change for ${p.service}, e.g. "update ${p.service} password …".`);
        return withVault(vault, ctx.userId, async () => {
          const { c, data: before } = await revealed(vault, ctx.userId, p.service);
          const data = { ...before, ...changes };
          await vault.update(
            ctx.userId,
            c.id,
            { data, metadata: { ...c.metadata, fields: Object.keys(data) } },
            'user',
          );
          return { text: `Updated ${c.serviceName} (${describe(changes)}).` };
        });
      },
    }),
    defineTool({
      name: 'delete',
      description: 'Delete a stored credential (asks to confirm first)',
      input: z.object({ service, confirm: z.boolean().optional() }),
      examples: VAULT_EXAMPLES.delete,
      extract: (text) => ({
        service: serviceFrom(text.replace(/\bconfirm(ed)?\b/gi, '')),
        confirm: /\bconfirm(ed)?\b/i.test(text) || undefined,
      }),
      handler: async (p, ctx) => {
        requireDirect(ctx);
        const c = await find(vault, ctx.userId, p.service);
        if (!p.confirm)
          return {
            text: `Delete ${c.serviceName} from the vault for good?`,
            buttons: [
              { label: `Delete ${c.serviceName}`, value: `#32 delete ${c.serviceName} confirm`, style: 'danger' },
              { label: 'Keep it', value: '#32 list' },
            ],
          };
        await vault.remove(ctx.userId, c.id, 'user');
        return { text: `Deleted ${c.serviceName}.` };
      },
    }),
    defineTool({
      name: 'totp',
      description: 'The current one-time (TOTP / 2FA) code of a stored service',
      input: z.object({ service }),
      sensitive: true,
      examples: VAULT_EXAMPLES.totp,
      extract: (text) => ({ service: serviceFrom(text) }),
      handler: async (p, ctx) => {
        requireDirect(ctx);
        return withVault(vault, ctx.userId, async () => {
          const { c, data } = await revealed(vault, ctx.userId, p.service);
          if (typeof data.totp !== 'string')
            throw new ToolError(
              `${c.serviceName} has no TOTP secret; store one with "update ${c.serviceName} totp otpauth://…".`,
            );
          try {
            const otp = await currentCode(data.totp, clock.now().getTime());
            return { text: `${c.serviceName}: \`${otp.code}\` (valid for ${otp.remaining} more seconds)` };
          } catch (err) {
            throw new ToolError(`The TOTP secret of ${c.serviceName} cannot be used: ${(err as Error).message}.`);
          }
        });
      },
    }),
    defineTool({
      name: 'grant',
      description: 'Let an agent read one service from your vault (for example #1 reads stripe)',
      input: z.object({ agent: z.number().int().positive(), service }),
      examples: VAULT_EXAMPLES.grant,
      extract: (text) => ({
        agent: Number(/#\s*(\d+)|\bagent\s+(\d+)/i.exec(text)?.slice(1).find(Boolean)) || undefined,
        service: serviceFrom(
          text.replace(/#\s*\d+|\bagent\s+\d+/gi, ' ').replace(/\b(?:grant|let|allow|use|access|read)\b/gi, ' '),
        ),
      }),
      handler: async (p, ctx) => {
        requireDirect(ctx);
        await vault.grant(ctx.userId, p.agent, p.service);
        return { text: `Agent #${p.agent} may now read ${p.service} from your vault (while it is unlocked).` };
      },
    }),
    defineTool({
      name: 'revoke',
      description: "Take back an agent's access to a service in your vault",
      input: z.object({ agent: z.number().int().positive(), service }),
      examples: VAULT_EXAMPLES.revoke,
      extract: (text) => ({
        agent: Number(/#\s*(\d+)|\bagent\s+(\d+)/i.exec(text)?.slice(1).find(Boolean)) || undefined,
        service: serviceFrom(
          text
            .replace(/#\s*\d+|\bagent\s+\d+/gi, ' ')
            .replace(/\b(?:revoke|stop|reading|take|away|access|disallow|from)\b/gi, ' '),
        ),
      }),
      handler: async (p, ctx) => {
        requireDirect(ctx);
        const removed = await vault.revoke(ctx.userId, p.agent, p.service);
        return {
          text: removed
            ? `Agent #${p.agent} can no longer read ${p.service}.`
            : `Agent #${p.agent} had no access to ${p.service}.`,
        };
      },
    }),
  ];
}
