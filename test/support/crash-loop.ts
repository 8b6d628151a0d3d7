import { afterAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { join } from 'node:path';
import pg from 'pg';
import { createToken, startPaios, type PaiosProcess } from './paios-process.js';
import { serverModeEnv, REDIS_TEST_URL, tempDir, embeddedDataDir } from './services.js';
import { waitFor } from './wait.js';

/**
 * "Once per event even through retries and crashes", checked on the real built process: milestones
 * are completed and paios is killed with SIGKILL at a different moment each time (before, during
 * and right after the completion commits, while the invoice job runs), then started again. In the
 * end every completed milestone has exactly one invoice, and no other milestone has one.
 */
const TRIALS = Number(process.env.CRASH_LOOP_TRIALS ?? 10);
/** A start after SIGKILL recovers the embedded database first; a loaded CI machine needs the room. */
const BOOT_TIMEOUT_MS = 180_000;
const SECRET = 'crash-loop-secret-0123456789-0123456789-0123';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Mode {
  /** Environment of the app process (and of `paios token create`). */
  env: Record<string, string>;
  /** Runs SQL against paios's own database, while paios runs. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Jobs not finished yet (waiting, delayed or running). */
  unfinishedJobs(): Promise<number>;
  /** Processes that live through the whole loop (a `paios worker`). */
  keep: PaiosProcess[];
  cleanup(): Promise<void>;
}

/** Runs SQL over a fresh connection each time (paios may have been killed since the last query). */
const queryWith =
  (config: pg.ClientConfig) =>
  async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client(config);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

async function embedded(): Promise<Mode> {
  const dir = embeddedDataDir('paios-crash-');
  const env = { PAIOS_DATA_DIR: dir.path, ACCESS_TOKEN_SECRET: SECRET };
  // The embedded database is served on a unix socket in <data dir>/run while paios runs.
  const query = queryWith({ host: join(dir.path, 'run'), port: 5432, user: 'postgres', database: 'postgres' });
  return {
    env,
    query,
    unfinishedJobs: async () =>
      (
        await query<{ n: number }>(
          `SELECT count(*)::int AS n FROM jobs WHERE name = 'workflow.run' AND status IN ('waiting', 'active')`,
        )
      )[0]!.n,
    keep: [],
    cleanup: async () => dir.remove(),
  };
}

async function server(): Promise<Mode> {
  const server = await serverModeEnv('crash');
  const dir = tempDir('paios-crash-srv-');
  const prefix = server.env.REDIS_PREFIX;
  const base = { PAIOS_DATA_DIR: dir.path, ACCESS_TOKEN_SECRET: SECRET, ...server.env };
  // The app only serves; jobs run in a `paios worker`, which lives through the app's crashes.
  const env = { ...base, PAIOS_PROCESS_JOBS: 'false' };
  const queue = new Queue('paios', { connection: { url: REDIS_TEST_URL }, prefix });
  const worker = await startPaios(base, ['worker']);
  const query = queryWith({ connectionString: server.env.DATABASE_URL });
  return {
    env,
    query,
    // Repeatable schedules always keep a delayed job: only workflow actions count.
    unfinishedJobs: async () =>
      (await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized'])).filter((j) => j?.name === 'workflow.run')
        .length,
    keep: [worker],
    cleanup: async () => {
      await worker.stop();
      await queue.close();
      await server.cleanup();
      dir.remove();
    },
  };
}

/** The crash loop of one mode; each mode is its own test file, so the two run side by side. */
export function describeCrashLoop(kind: 'embedded' | 'server'): void {
  describe(`a milestone completed around a kill -9 is billed exactly once (${kind} mode)`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    });

    it(`survives ${TRIALS} SIGKILLs at random moments with one invoice per completed milestone`, async () => {
      const mode = kind === 'embedded' ? await embedded() : await server();
      cleanups.push(() => mode.cleanup());
      let app = await startPaios(mode.env, undefined, BOOT_TIMEOUT_MS);
      cleanups.push(async () => void (await app.stop('SIGKILL')));

      const token = await createToken('crash@example.test', mode.env);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${app.url}/api${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const agentId: Record<number, string> = {};
      for (const [agentNumber, name] of [
        [1, 'business-intelligence'],
        [15, 'invoicing'],
      ] as const) {
        const made = await post('/agents', { agentNumber, name });
        expect(made.status).toBe(201);
        agentId[agentNumber] = made.body.id as string;
      }
      const run = (agent: number, action: string, parameters: Record<string, unknown>) =>
        post(`/agents/${agentId[agent]}/execute`, { action, parameters });
      expect((await run(15, 'add_client', { name: 'Acme' })).body.success).toBe(true);
      expect((await run(1, 'add_project', { name: 'Website', client: 'Acme' })).body.success).toBe(true);
      const milestones = Array.from({ length: TRIALS * 2 }, (_, i) => `M${i + 1}`);
      for (const [i, name] of milestones.entries())
        expect((await run(1, 'add_milestone', { project: 'Website', name, amount: 100 + i })).body.success).toBe(true);

      // How long one completion takes here, so that the kills land around the commit, not long after.
      const probeStarted = Date.now();
      expect((await run(1, 'mark_milestone_complete', { milestone: milestones[0]! })).body.success).toBe(true);
      const latency = Math.max(20, Date.now() - probeStarted);

      let next = 1;
      const answered: string[] = [milestones[0]!];
      for (let trial = 0; trial < TRIALS; trial++) {
        // One or two completions in flight, then SIGKILL: before the response, on it, or just after it.
        const names = milestones.slice(next, next + 1 + (trial % 2));
        next += names.length;
        const calls = names.map((milestone) =>
          run(1, 'mark_milestone_complete', { milestone }).then(
            (r) => {
              if (r.body.success) answered.push(milestone);
              return r;
            },
            () => undefined, // the process died under it
          ),
        );
        // Every third kill lands the moment the first answer arrives (committed, event not yet acted
        // on); the others at a random moment within one or two completion times.
        if (trial % 3 === 0) await calls[0];
        else await sleep(Math.floor(Math.random() * latency * (trial % 3 === 1 ? 1 : 2)));
        await app.stop('SIGKILL');
        await Promise.all(calls);
        app = await startPaios(mode.env, undefined, BOOT_TIMEOUT_MS);
      }

      // Whatever the kills left behind (events not relayed, jobs cut off) is finished after the last start.
      const completed = async () =>
        (
          await mode.query<{ name: string }>(
            `SELECT m.name FROM milestones m WHERE m.completed_at IS NOT NULL ORDER BY m.name`,
          )
        ).map((r) => r.name);
      await waitFor(
        async () => {
          const pending = await mode.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM event_outbox WHERE relayed_at IS NULL`,
          );
          if (pending[0]!.n > 0 || (await mode.unfinishedJobs()) > 0) return false;
          const invoices = await mode.query<{ n: number }>(`SELECT count(*)::int AS n FROM invoices`);
          return invoices[0]!.n >= (await completed()).length;
        },
        60_000,
        200,
      );

      const done = await completed();
      // Every completion that was answered is kept, and the loop really crashed around completions.
      expect(done).toEqual(expect.arrayContaining(answered));
      expect(done.length).toBeGreaterThanOrEqual(1 + Math.ceil(TRIALS / 3));
      const listed = await run(15, 'list_invoices', {});
      expect(listed.body.success).toBe(true);
      const billed = (listed.body.data as { lines: { description: string }[] }[])
        .map((i) => i.lines[0]!.description)
        .sort();
      expect(billed).toEqual(done.map((name) => `Website: ${name}`).sort());
      await app.stop();
    }, 600_000);
  });
}
