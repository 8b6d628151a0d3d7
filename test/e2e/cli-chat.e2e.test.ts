import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPaios } from '../support/paios-process.js';
import { embeddedDataDir, tempDir } from '../support/services.js';

const NOTES_PLUGIN = fileURLToPath(new URL('../fixtures/plugins/notes.plugin.mjs', import.meta.url));

describe('paios command line: chat, invoices, the vault and the owner, with no server running', () => {
  it('chats from the command line with no server running', async () => {
    const data = embeddedDataDir('paios-chat-');
    try {
      mkdirSync(join(data.path, 'plugins'));
      copyFileSync(NOTES_PLUGIN, join(data.path, 'plugins', 'notes.plugin.mjs'));
      const env = { PAIOS_DATA_DIR: data.path };
      expect((await runPaios(['init', '--owner', 'me@example.test'], env)).code).toBe(0);
      expect(await runPaios(['chat', 'jot down feed the cat'], env)).toMatchObject({
        code: 0,
        stdout: 'noted: feed the cat\n',
      });
      expect((await runPaios(['chat', '@notes recall'], env)).stdout).toBe('feed the cat\n');
      const unknown = await runPaios(['chat', 'xyzzy plugh'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stdout).toContain("I don't know which agent can do that");
    } finally {
      data.remove();
    }
  });

  it('invoices and reports from the command line: the sentences of issue #4', async () => {
    const data = embeddedDataDir('paios-invoice-chat-');
    try {
      const env = { PAIOS_DATA_DIR: data.path };
      expect((await runPaios(['init', '--owner', 'me@example.test'], env)).code).toBe(0);
      expect((await runPaios(['chat', 'add a client Acme'], env)).stdout).toBe(
        'Added Acme (billed in EUR, 30 days to pay).\n',
      );
      const made = await runPaios(['chat', 'invoice Acme for 10 hours at 150'], env);
      expect(made.code).toBe(0);
      const [reply, attachment] = made.stdout.trim().split('\n');
      expect(reply).toMatch(/^Created INV-\d{4}-0001 for Acme: €1,500\.00 \(draft\), due \d{4}-\d{2}-\d{2}\.$/);
      expect(attachment).toMatch(/^attachment: .*INV-\d{4}-0001\.pdf$/);
      expect(readFileSync(attachment!.slice('attachment: '.length)).subarray(0, 5).toString()).toBe('%PDF-');
      const revenue = await runPaios(['chat', 'how much did we make this month'], env);
      expect(revenue.stdout).toContain('This month: invoiced €1,500.00, received nothing.');
    } finally {
      data.remove();
    }
  });

  it('asks for the master password without echo, then does what was asked; a wrong one reveals nothing', async () => {
    const data = embeddedDataDir('paios-vault-cli-');
    const canary = 'cli-canary-5e1f';
    const master = 'a long cli master password';
    try {
      const env = {
        PAIOS_DATA_DIR: data.path,
        VAULT_ARGON2_MEMORY_KIB: '19456',
        VAULT_ARGON2_ITERATIONS: '2',
        VAULT_ARGON2_PARALLELISM: '1',
      };
      expect((await runPaios(['init', '--owner', 'me@example.test'], env)).code).toBe(0);
      const stored = await runPaios(['chat', `store github user alice password ${canary}`], env, `${master}\n`);
      expect(stored.code).toBe(0);
      expect(stored.stdout).toContain('You have no vault yet');
      expect(stored.stdout).toContain('Master password: ');
      expect(stored.stdout).toContain('Your vault is set up and unlocked');
      expect(stored.stdout).toContain('Stored github (username, password)');
      expect(stored.stdout).not.toContain(master);

      const wrong = await runPaios(['chat', "what's my github password"], env, 'not the master password\n');
      expect(wrong.code).toBe(1);
      expect(wrong.stdout).toContain('wrong master password');
      expect(wrong.stdout + wrong.stderr).not.toContain(canary);
    } finally {
      data.remove();
    }
  });

  it('makes nobody owner by chatting: init or the first token does, status says who, chat acts as them', async () => {
    const data = tempDir('paios-owner-');
    try {
      const env = { PAIOS_DATA_DIR: data.path };
      const orphan = await runPaios(['chat', 'add a client Acme'], env);
      expect(orphan.code).toBe(1);
      expect(orphan.stderr).toContain('paios init --owner you@example.com');
      expect((await runPaios(['status'], env)).stdout).toContain('owner: none yet');

      const minted = await runPaios(['token', 'create', '--user', 'person@example.test'], env);
      expect(minted.code).toBe(0);
      expect(minted.stdout).toContain('person@example.test is now the owner of this paios');
      expect((await runPaios(['token', 'create', '--user', 'guest@example.test'], env)).stdout).not.toContain('owner');
      expect((await runPaios(['status'], env)).stdout).toContain('owner: person@example.test');

      expect(await runPaios(['chat', 'add a client Acme'], env)).toMatchObject({ code: 0 });
      const takeover = await runPaios(['init', '--owner', 'guest@example.test'], env);
      expect(takeover.code).toBe(1);
      expect(takeover.stderr).toContain('the owner is already person@example.test');
      const handed = await runPaios(['init', '--owner', 'guest@example.test', '--force'], env);
      expect(handed.stdout).toContain('guest@example.test is now the owner of this paios (was person@example.test)');
      expect((await runPaios(['status'], env)).stdout).toContain('owner: guest@example.test');
    } finally {
      data.remove();
    }
  }, 300_000); // ten commands, each a process start
});
