import { afterAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io } from 'socket.io-client';
import { createToken, runPaios, startPaios, type PaiosProcess } from '../support/paios-process.js';
import {
  createPostgresDatabase,
  postgresAvailable,
  redisAvailable,
  REDIS_TEST_URL,
  embeddedDataDir,
  tempDir,
} from '../support/services.js';
import { waitFor } from '../support/wait.js';

const NOTES_PLUGIN = fileURLToPath(new URL('../fixtures/plugins/notes.plugin.mjs', import.meta.url));
const SECRET = 'e2e-secret-0123456789-0123456789-0123456789';
const serverMode = (await postgresAvailable()) && (await redisAvailable());
const describeServer = serverMode ? describe : describe.skip;

const get = (url: string, token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });

describe('paios command line', () => {
  const dir = embeddedDataDir('paios-cli-');
  afterAll(() => dir.remove());

  it('refuses a bad setting, naming the variable and what it expects', async () => {
    const result = await runPaios(['start'], { PAIOS_DATA_DIR: dir.path, PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('PORT: expected a port number');
    expect(result.stderr).toContain('DATABASE_URL: expected a postgres:// URL');
    expect(result.stderr).not.toContain('mysql://x');
  });

  it('mints a token only for a valid email, printing it as the last line', async () => {
    const bad = await runPaios(['token', 'create', '--user', 'not-an-email'], { PAIOS_DATA_DIR: dir.path });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected an email address');
    const token = await createToken('cli@example.test', { PAIOS_DATA_DIR: dir.path });
    expect(token.split('.')).toHaveLength(3);
  });

  it('migrates, and reports when there is nothing left to do', async () => {
    const env = { PAIOS_DATA_DIR: embeddedDataDir('paios-migrate-').path };
    expect((await runPaios(['migrate'], env)).stdout).toContain('applied: InitialSchema');
    expect((await runPaios(['migrate'], env)).stdout).toContain('database is up to date');
  });

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

  it('explains that a worker needs Redis', async () => {
    const result = await runPaios(['worker'], { PAIOS_DATA_DIR: dir.path });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('REDIS_URL');
  });

  it('rate limits per user in embedded mode, leaving other users alone', async () => {
    const env = { PAIOS_DATA_DIR: embeddedDataDir('paios-rl-').path, ACCESS_TOKEN_SECRET: SECRET, RATE_LIMIT_MAX: '3' };
    const paios = await startPaios(env);
    try {
      const a = await createToken('a@example.test', env);
      const b = await createToken('b@example.test', env);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(`${paios.url}/api/agents`, a)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await get(`${paios.url}/api/agents`, a);
      expect(await limited.json()).toMatchObject({
        statusCode: 429,
        message: expect.stringContaining('too many requests'),
      });
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await get(`${paios.url}/api/agents`, b)).status).toBe(200);
      expect((await fetch(`${paios.url}/api/system/health`)).status).toBe(200);
    } finally {
      expect(await paios.stop()).toBe(0);
    }
  });
});

describeServer('server mode with several processes (PostgreSQL + Redis)', () => {
  const running: PaiosProcess[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const p of running) await p.stop();
    for (const c of cleanups.reverse()) await c();
  });

  async function serverEnv(extra: Record<string, string> = {}) {
    const db = await createPostgresDatabase();
    const dir = tempDir('paios-srv-');
    const prefix = `paios-e2e-${process.pid}-${Date.now()}`;
    cleanups.push(
      () => db.drop(),
      () => dir.remove(),
      async () => {
        const q = new Queue('paios', { connection: { url: REDIS_TEST_URL }, prefix });
        await q.obliterate({ force: true });
        await q.close();
      },
    );
    return {
      env: {
        PAIOS_DATA_DIR: dir.path,
        ACCESS_TOKEN_SECRET: SECRET,
        DATABASE_URL: db.url,
        REDIS_URL: REDIS_TEST_URL,
        REDIS_PREFIX: prefix,
        ...extra,
      },
      dbUrl: db.url,
      prefix,
    };
  }

  it('shares one rate limit across app processes through Redis', async () => {
    const { env } = await serverEnv({ RATE_LIMIT_MAX: '4' });
    const one = await startPaios(env);
    running.push(one);
    const two = await startPaios(env);
    running.push(two);
    const token = await createToken('shared@example.test', env);
    const statuses = [];
    for (const url of [one.url, two.url, one.url, two.url, one.url])
      statuses.push((await get(`${url}/api/agents`, token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('delivers a socket event raised in one app process to a client of another', async () => {
    const { env } = await serverEnv();
    const one = await startPaios(env);
    running.push(one);
    const two = await startPaios(env);
    running.push(two);
    const token = await createToken('fanout@example.test', env);
    const socket = io(one.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const received = new Promise<unknown>((resolve) => socket.once('system:agent_added', resolve));
      const res = await fetch(`${two.url}/api/agents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ agentNumber: 31, name: 'system-architecture' }),
      });
      expect(res.status).toBe(201);
      expect(await received).toMatchObject({ agentNumber: 31, name: 'system-architecture' });
    } finally {
      socket.close();
    }
  });

  it('carries an agent change made through one app process to the others', async () => {
    const { env } = await serverEnv();
    const plugins = tempDir('paios-srv-plugins-');
    cleanups.push(() => plugins.remove());
    copyFileSync(NOTES_PLUGIN, join(plugins.path, 'notes.plugin.mjs'));
    const shared = { ...env, PAIOS_PLUGINS_DIR: plugins.path };
    const one = await startPaios(shared);
    running.push(one);
    const two = await startPaios(shared);
    running.push(two);
    const token = await createToken('sync@example.test', shared);
    const post = (url: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
        .then(async (r) => ({ status: r.status, body: (await r.json()) as { reply?: string } }))
        .catch((err: Error) => {
          // Say which process went away and what it said last, not just "fetch failed".
          const who = url === one.url ? one : two;
          throw new Error(`${err.message} (${url}, exit code ${who.exitCode()}):\n${who.output().slice(-3000)}`, {
            cause: err,
          });
        });

    expect((await post(two.url, '/api/voice/process', { text: '#90 say hello' })).body.reply).toBe(
      'hello from notes 1.0.0',
    );
    expect(
      (
        await post(one.url, '/api/system/modify', {
          action: 'reconfigure',
          agentNumber: 90,
          config: { greeting: 'ahoy' },
        })
      ).status,
    ).toBe(200);
    await waitFor(
      async () =>
        (await post(two.url, '/api/voice/process', { text: '#90 say hello' })).body.reply === 'ahoy from notes 1.0.0',
      5000,
    );
  });

  it('runs jobs in `paios worker` while the app only serves', async () => {
    const { env, dbUrl, prefix } = await serverEnv();
    const app = await startPaios({ ...env, PAIOS_PROCESS_JOBS: 'false' });
    running.push(app);
    const worker = await startPaios(env, ['worker']);
    running.push(worker);

    // An expired memory row, and the hourly clean-up job queued now instead of at minute 17.
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query(
      `INSERT INTO agent_memory (memory_type, content, expires_at) VALUES ('note', '{}', NOW() - INTERVAL '1 day'), ('note', '{}', NULL)`,
    );
    const queue = new Queue('paios', { connection: { url: REDIS_TEST_URL }, prefix });
    await queue.add('memory.prune-expired', {});
    await queue.close();
    await waitFor(
      async () => (await client.query(`SELECT count(*)::int AS n FROM agent_memory`)).rows[0].n === 1,
      10_000,
    );
    await client.end();

    expect(worker.output()).toContain('driver bullmq; handlers: memory.prune-expired');
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.output()).toContain('stopped');
  });
});
