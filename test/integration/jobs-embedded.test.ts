import { afterEach, describe, expect, it } from '@jest/globals';
import { EmbeddedJobQueue } from '../../src/orchestrator/jobs/embedded-job-queue.js';
import { JobHandlerRegistry } from '../../src/orchestrator/jobs/job-handler.registry.js';
import type { JobContext, JobOutcome } from '../../src/orchestrator/jobs/job-queue.port.js';
import { openTestDatabase, tempDir, type TestDatabase } from '../support/services.js';
import { waitFor } from '../support/wait.js';

declare module '../../src/orchestrator/jobs/job-queue.port.js' {
  interface JobPayloads {
    'test.echo': { text: string };
    'test.flaky': { failTimes: number };
  }
}

const opts = { process: true, concurrency: 2, pollIntervalMs: 50, shutdownTimeoutMs: 2000 };

describe('embedded job runner (PGlite)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function runner(db: TestDatabase, registry = new JobHandlerRegistry(), outcomes: JobOutcome[] = []) {
    const queue = new EmbeddedJobQueue(db.dataSource, registry, {
      ...opts,
      observer: { jobFinished: (_n, outcome) => outcomes.push(outcome) },
    });
    await queue.start();
    return queue;
  }

  it('runs a job, retries it after a thrown error with backoff, and records the outcome', async () => {
    const db = await openTestDatabase('pglite');
    cleanups.push(() => db.close());
    const registry = new JobHandlerRegistry();
    const seen: JobContext[] = [];
    registry.register('test.flaky', async (payload, ctx) => {
      seen.push(ctx);
      if (ctx.attempt <= (payload as { failTimes: number }).failTimes) throw new Error(`boom ${ctx.attempt}`);
    });
    const outcomes: JobOutcome[] = [];
    const queue = await runner(db, registry, outcomes);
    cleanups.push(() => queue.close());

    const ok = await queue.enqueue(
      'test.flaky',
      { failTimes: 1 },
      { attempts: 3, backoff: { type: 'fixed', delayMs: 100 } },
    );
    const dead = await queue.enqueue(
      'test.flaky',
      { failTimes: 5 },
      { attempts: 2, backoff: { type: 'fixed', delayMs: 50 } },
    );

    await waitFor(async () => {
      const rows = await db.dataSource.query<
        {
          status: string;
        }[]
      >(`SELECT id, status FROM jobs WHERE id = ANY($1)`, [[ok.id, dead.id]]);
      return rows.every((r) => r.status === 'completed' || r.status === 'failed');
    });
    const rows = await db.dataSource.query<
      { id: string; status: string; attempts_made: number; last_error: string | null }[]
    >(`SELECT id, status, attempts_made, last_error FROM jobs WHERE id = ANY($1)`, [[ok.id, dead.id]]);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[ok.id]).toMatchObject({ status: 'completed', attempts_made: 2 });
    expect(byId[dead.id]).toMatchObject({ status: 'failed', attempts_made: 2, last_error: 'boom 2' });
    expect(seen.filter((c) => c.id === ok.id).map((c) => c.attempt)).toEqual([1, 2]);
    expect(outcomes.sort()).toEqual(['completed', 'failed', 'retrying', 'retrying']);
  });

  it('queues a job once per idempotency key', async () => {
    const db = await openTestDatabase('pglite');
    cleanups.push(() => db.close());
    const registry = new JobHandlerRegistry();
    const runs: string[] = [];
    registry.register('test.echo', async (p) => void runs.push((p as { text: string }).text));
    const queue = await runner(db, registry);
    cleanups.push(() => queue.close());

    const first = await queue.enqueue('test.echo', { text: 'invoice INV-1' }, { idempotencyKey: 'invoice:INV-1' });
    const second = await queue.enqueue(
      'test.echo',
      { text: 'invoice INV-1 again' },
      { idempotencyKey: 'invoice:INV-1' },
    );
    expect(second).toEqual({ id: first.id, duplicate: true });
    expect(first.duplicate).toBe(false);
    await waitFor(() => runs.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(runs).toEqual(['invoice INV-1']);
  });

  it('keeps delayed and repeatable jobs across a restart of the process', async () => {
    const dir = tempDir('paios-restart-');
    cleanups.push(() => dir.remove());

    // First life: schedule, then shut down before anything is due.
    let db = await openTestDatabase('pglite', dir.path);
    let queue = await runner(db, new JobHandlerRegistry());
    await queue.enqueue('test.echo', { text: 'delayed' }, { delayMs: 1500 });
    await queue.schedule('digest', 'test.echo', { text: 'every second' }, { cron: '* * * * * *' });
    await queue.close();
    await db.close();

    // Second life: a new runner on the same data dir picks both up.
    db = await openTestDatabase('pglite', dir.path);
    cleanups.push(() => db.close());
    const registry = new JobHandlerRegistry();
    const runs: string[] = [];
    registry.register('test.echo', async (p) => void runs.push((p as { text: string }).text));
    queue = await runner(db, registry);
    cleanups.push(() => queue.close());

    await waitFor(() => runs.includes('delayed') && runs.filter((r) => r === 'every second').length >= 2, 30_000);
    expect(await queue.unschedule('digest')).toBe(true);
    expect(await queue.unschedule('digest')).toBe(false);
  });

  it('runs a schedule that fell due while the process was down once at start, marked late', async () => {
    const dir = tempDir('paios-missed-');
    cleanups.push(() => dir.remove());
    const nightly = { cron: '0 3 * * *' };

    // First life: the schedule exists; then the process is down past its due time.
    let db = await openTestDatabase('pglite', dir.path);
    let queue = new EmbeddedJobQueue(db.dataSource, new JobHandlerRegistry(), { ...opts, process: false });
    await queue.schedule('nightly', 'test.echo', { text: 'nightly' }, nightly);
    await db.dataSource.query(
      `UPDATE job_schedulers SET next_run_at = NOW() - INTERVAL '5 hours' WHERE id = 'nightly'`,
    );
    const [missed] = await db.dataSource.query<{ next_run_at: Date }[]>(
      `SELECT next_run_at FROM job_schedulers WHERE id = 'nightly'`,
    );
    await queue.close();
    await db.close();

    // Second life: the boot registers the schedule again, and the missed run goes out once, late.
    db = await openTestDatabase('pglite', dir.path);
    cleanups.push(() => db.close());
    const registry = new JobHandlerRegistry();
    const runs: JobContext[] = [];
    registry.register('test.echo', async (_p, ctx) => void runs.push(ctx));
    queue = await runner(db, registry);
    cleanups.push(() => queue.close());
    await queue.schedule('nightly', 'test.echo', { text: 'nightly' }, nightly);
    const status = async () => (await queue.describeSchedules(['nightly'])).get('nightly')!;
    await waitFor(async () => (await status()).lastRun?.outcome === 'succeeded', 30_000);

    expect(runs).toHaveLength(1);
    expect(runs[0]!.schedule).toEqual({ id: 'nightly', dueAt: missed!.next_run_at, late: true });
    const after = await status();
    expect(after.lastRun).toMatchObject({ dueAt: missed!.next_run_at, outcome: 'succeeded', late: true });
    expect(after.nextRunAt.getTime()).toBeGreaterThan(Date.now());
    expect(after.nextRunAt.getUTCHours()).toBe(3);
  }, 300_000); // two PGlite opens

  it('rejects an invalid cron pattern with a message naming it', async () => {
    const db = await openTestDatabase('pglite');
    cleanups.push(() => db.close());
    const queue = await runner(db);
    cleanups.push(() => queue.close());
    await expect(queue.schedule('bad', 'test.echo', { text: 'x' }, { cron: 'every morning' })).rejects.toThrow(
      /invalid cron pattern "every morning"/,
    );
  });
});

describe('embedded job runner shutdown', () => {
  it('waits for a running job before closing, and retries one cut off by a crash', async () => {
    const dir = tempDir('paios-drain-');
    let db = await openTestDatabase('pglite', dir.path);
    const registry = new JobHandlerRegistry();
    let finished = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    registry.register('test.echo', async () => {
      await gate;
      finished++;
    });
    const queue = new EmbeddedJobQueue(db.dataSource, registry, opts);
    await queue.start();
    await queue.enqueue('test.echo', { text: 'slow' });
    await waitFor(async () => {
      const [row] = await db.dataSource.query<{ status: string }[]>(`SELECT status FROM jobs`);
      return row?.status === 'active';
    });
    const closing = queue.close();
    setTimeout(release, 300);
    await closing;
    expect(finished).toBe(1);
    const [row] = await db.dataSource.query<{ status: string }[]>(`SELECT status FROM jobs`);
    expect(row?.status).toBe('completed');

    // A job left 'active' (the process was killed mid-run) runs again on the next start.
    await db.dataSource.query(`UPDATE jobs SET status = 'active'`);
    await db.close();
    db = await openTestDatabase('pglite', dir.path);
    const again = new EmbeddedJobQueue(db.dataSource, registry, opts);
    await again.start();
    await waitFor(() => finished === 2);
    await again.close();
    await db.close();
    dir.remove();
  });
});
