import { z } from 'zod';
import type { VaultService } from '../../../vault/vault.service.js';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { ToolError } from '../../../sdk/tool-error.js';
import { generatePassphrase, generatePassword, type CharacterClass } from '../generator.js';
import { serviceFrom } from '../phrases.js';
import { VAULT_EXAMPLES } from './vault.examples.js';

/** Passwords from character classes, passphrases from the EFF word list; optionally kept for a service. */
export function generateTool(vault: VaultService): ToolDefinition {
  return defineTool({
    name: 'generate',
    description: 'Generate a strong password or a word passphrase, and optionally store it for a service',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
    input: z.object({
      // Ranges are checked by the generator, so "a passphrase of 5 words" with a stray length still works.
      length: z.number().int().optional(),
      words: z.number().int().optional(),
      passphrase: z.boolean().optional(),
      symbols: z.boolean().optional(),
      digits: z.boolean().optional(),
      uppercase: z.boolean().optional(),
      service: z
        .string()
        .trim()
        .min(1)
        .max(255)
        .transform((s) => s.toLowerCase())
        .optional(),
    }),
    sensitive: true,
    examples: VAULT_EXAMPLES.generate,
    extract: (text) => {
      const words = /\b(\d{1,2})\s*words?\b/i.exec(text);
      const length = /\b(\d{1,3})\s*(?:char(?:acter)?s?|letters|long|-character)\b/i.exec(text);
      const without = (what: RegExp) =>
        new RegExp(String.raw`\b(?:without|no)\s+(?:any\s+)?${what.source}`, 'i').test(text) ? false : undefined;
      return {
        passphrase: /\b(?:passphrase|diceware|words?)\b/i.test(text) || undefined,
        words: words ? Number(words[1]) : undefined,
        length: length ? Number(length[1]) : undefined,
        symbols: without(/symbols?|special/),
        digits: without(/digits?|numbers?/),
        uppercase: without(/upper\s*case|capitals?/),
        service: /\bfor\s+\S+/i.test(text) ? serviceFrom(text) : undefined,
      };
    },
    handler: async (p, ctx) => {
      if (!ctx.caller?.direct)
        throw new ToolError('Generated passwords are shown only in a direct message with me: write to me privately.');
      let made;
      try {
        if (p.passphrase || p.words) made = generatePassphrase(p.words ?? 6);
        else if (p.length !== undefined && (p.length < 8 || p.length > 256))
          throw new RangeError('a password has 8 to 256 characters');
        else {
          const classes: CharacterClass[] = ['lowercase'];
          if (p.uppercase !== false) classes.push('uppercase');
          if (p.digits !== false) classes.push('digits');
          if (p.symbols !== false) classes.push('symbols');
          made = generatePassword({ length: p.length ?? 20, classes });
        }
      } catch (err) {
        throw new ToolError((err as Error).message);
      }
      let kept = '';
      if (p.service) {
        try {
          const existing = await vault.findByService(ctx.userId, p.service);
          if (existing) {
            const data = { ...(await vault.reveal(ctx.userId, existing.id, 'user')), password: made.value };
            await vault.update(ctx.userId, existing.id, { data }, 'user');
            kept = ` It is now the password of ${p.service} in your vault.`;
          } else {
            await vault.store(ctx.userId, p.service, { password: made.value }, { fields: ['password'] }, 'user');
            kept = ` Stored as the password of ${p.service}.`;
          }
        } catch (err) {
          kept = ` Not stored: ${(err as Error).message}.`;
        }
      }
      return { text: `\`${made.value}\`\n(${made.bits} bits of entropy.)${kept}` };
    },
  });
}
