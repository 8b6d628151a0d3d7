import { afterAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io } from 'socket.io-client';
import { createToken, startPaios, type PaiosProcess } from '../support/paios-process.js';
import { serverModeEnv, postgresAvailable, redisAvailable, REDIS_TEST_URL, tempDir } from '../support/services.js';
import { waitFor } from '../support/wait.js';

const NOTES_PLUGIN = fileURLToPath(new URL('../fixtures/plugins/notes.plugin.mjs', import.meta.url));
const SECRET = 'e2e-secret-0123456789-0123456789-0123456789';
const serverMode = (await postgresAvailable()) && (await redisAvailable());
const describeServer = serverMode ? describe : describe.skip;

const get = (url: string, token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });
describeServer('server mode with several processes (PostgreSQL + Redis)', () => {
  const running: PaiosProcess[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const p of running) await p.stop();
    for (const c of cleanups.reverse()) await c();
  });

  async function serverEnv(extra: Record<string, string> = {}) {
    const server = await serverModeEnv('srv');
    const dir = tempDir('paios-srv-');
    cleanups.push(
      () => server.cleanup(),
      () => dir.remove(),
    );
    return {
      env: { PAIOS_DATA_DIR: dir.path, ACCESS_TOKEN_SECRET: SECRET, ...server.env, ...extra },
      dbUrl: server.env.DATABASE_URL,
      prefix: server.env.REDIS_PREFIX,
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
      30_000,
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
      30_000,
    );
    await client.end();

    expect(worker.output()).toContain('driver bullmq; handlers: memory.prune-expired');
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.output()).toContain('stopped');
  });
});
