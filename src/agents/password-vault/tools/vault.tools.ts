import { z } from 'zod';
import { VAULT_EXAMPLES } from './vault.examples.js';
import { DomainError } from '../../../common/errors.js';
import type { VaultService } from '../../../vault/vault.service.js';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { ToolError } from '../../../sdk/tool-error.js';
import { fieldsFrom, serviceFrom, type SecretField } from '../phrases.js';
import type { Clock } from '../../../common/clock.js';
import { currentCode } from '../totp.js';
import {
  describe,
  FIELD_LABEL,
  find,
  requireDirect,
  revealed,
  revealTool,
  secretData,
  secretFields,
  service,
  UNLOCK_PROMPT,
  withVault,
} from './vault-access.js';

/** `clock` says which 30-second window a TOTP code is for. */
/** The agent (#1, agent 1) and the service a grant or revoke names; `verbs` are the words to skip. */
function agentAndService(text: string, verbs: RegExp): { agent?: number; service?: string } {
  return {
    agent: Number(/#\s*(\d+)|\bagent\s+(\d+)/i.exec(text)?.slice(1).find(Boolean)) || undefined,
    service: serviceFrom(text.replace(/#\s*\d+|\bagent\s+\d+/gi, ' ').replace(verbs, ' ')),
  };
}

export function vaultTools(vault: VaultService, clock: Clock): ToolDefinition[] {
  return [
    defineTool({
      name: 'unlock',
      description: 'Unlock the password vault with the master password (the first unlock sets it)',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
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
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
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
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
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
    revealTool(
      vault,
      {
        name: 'get',
        description: 'Reveal a stored credential (shown privately, audited)',
        examples: VAULT_EXAMPLES.get,
      },
      async (c, data) => {
        const lines = Object.entries(data).map(
          ([k, v]) => `${FIELD_LABEL[k as SecretField] ?? k}: \`${String(v).replace(/`/g, "'")}\``,
        );
        return { text: [`**${c.serviceName}**`, ...lines].join('\n') };
      },
    ),
    defineTool({
      name: 'list',
      description: 'List the services in the vault (names only, never secrets)',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
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
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
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
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
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
    revealTool(
      vault,
      {
        name: 'totp',
        description: 'The current one-time (TOTP / 2FA) code of a stored service',
        examples: VAULT_EXAMPLES.totp,
      },
      async (c, data) => {
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
      },
    ),
    defineTool({
      name: 'grant',
      description: 'Let an agent read one service from your vault (for example #1 reads stripe)',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      input: z.object({ agent: z.number().int().positive(), service }),
      examples: VAULT_EXAMPLES.grant,
      extract: (text) => agentAndService(text, /\b(?:grant|let|allow|use|access|read)\b/gi),
      handler: async (p, ctx) => {
        requireDirect(ctx);
        await vault.grant(ctx.userId, p.agent, p.service);
        return { text: `Agent #${p.agent} may now read ${p.service} from your vault (while it is unlocked).` };
      },
    }),
    defineTool({
      name: 'revoke',
      description: "Take back an agent's access to a service in your vault",
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
      input: z.object({ agent: z.number().int().positive(), service }),
      examples: VAULT_EXAMPLES.revoke,
      extract: (text) => agentAndService(text, /\b(?:revoke|stop|reading|take|away|access|disallow|from)\b/gi),
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
