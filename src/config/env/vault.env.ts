import { z } from 'zod';
import { duration, positiveInt } from './env.fields.js';

/** Vault: Argon2id cost (refused below OWASP's floor at use) and idle auto-lock. */
export const vaultEnv = {
  VAULT_ARGON2_MEMORY_KIB: positiveInt('memory in KiB')
    .default(65_536)
    .describe("Argon2id memory for new master passwords; refused below OWASP's floor."),
  VAULT_ARGON2_ITERATIONS: positiveInt('an iteration count')
    .default(3)
    .describe("Argon2id passes for new master passwords; refused below OWASP's floor."),
  VAULT_ARGON2_PARALLELISM: positiveInt('a parallelism of 1 or more')
    .default(4)
    .describe('Argon2id lanes for new master passwords.'),
  VAULT_AUTO_LOCK: duration.default('15m').describe('Idle time before an open vault locks.'),
};

/**
 * Vault: how long a revealed secret stays, and the master password of an unattended server (after the
 * system views in the schema, where they were added).
 */
export const vaultServerEnv = {
  VAULT_REVEAL_SECONDS: positiveInt('a number of seconds')
    .default(30)
    .describe('How long a revealed secret stays in a chat that lets the bot delete it (Telegram, Discord DMs).'),
  PAIOS_VAULT_KEY: z
    .string()
    .min(12, 'expected at least 12 characters')
    .optional()
    .describe('Master password that opens the vaults made with it, for an unattended server.'),
  PAIOS_VAULT_KEY_FILE: z.string().min(1).optional().describe('File whose first line is that master password.'),
};
