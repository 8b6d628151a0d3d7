import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { JobEntity } from '../../database/entities/index.js';
import { returnedRows } from '../../database/query-result.js';
import { nextCronRun } from './cron.js';
import { ScheduleLedger } from './schedule-ledger.js';
import type { JobHandlerRegistry } from './job-handler.registry.js';
import {
  backoffDelay,
  FINISHED_JOB_RETENTION_MS,
  JobQueue,
  type EnqueuedJob,
  type JobName,
  type JobObserver,
  type JobPayloads,
  type NewJob,
  type RepeatOptions,
  type ScheduleStatus,
} from './job-queue.port.js';

export interface EmbeddedJobQueueOptions {
  /** Process jobs in this process (false: only enqueue). */
  process: boolean;
  concurrency: number;
  pollIntervalMs: number;
  shutdownTimeoutMs: number;
  observer?: JobObserver;
}

/** A claimed job is considered abandoned (and is retried) after this long without finishing. */
const LEASE_MS = 15 * 60 * 1000;

/**
 * Embedded mode's job runner. Jobs and schedules live in the `jobs` and `job_schedulers` tables, so
 * a delayed or repeatable job survives a restart; a poll loop claims due jobs with
 * `FOR UPDATE SKIP LOCKED` and runs them in this process.
 */
export class EmbeddedJobQueue extends JobQueue {
  readonly driver = 'embedded';
  private readonly logger = new Logger('EmbeddedJobQueue');
  private timer?: NodeJS.Timeout;
  private running = false;
  private ticking?: Promise<void>;
  /** Set when work may be waiting while a poll runs: poll again straight after. */
  private again = false;
  private readonly active = new Set<Promise<void>>();
  private lastPrune = 0;
  private readonly ledger: ScheduleLedger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: JobHandlerRegistry,
    private readonly options: EmbeddedJobQueueOptions,
  ) {
    super();
    this.ledger = new ScheduleLedger(dataSource);
  }

  /** Recovers jobs a previous process left half-done, then starts the poll loop. */
  async start(): Promise<void> {
    if (!this.options.process || this.running) return;
    // Single process per embedded database: anything still 'active' was cut off by a crash or kill.
    await this.dataSource.query(
      `UPDATE jobs SET status = 'waiting', locked_until = NULL, updated_at = NOW() WHERE status = 'active'`,
    );
    this.running = true;
    this.wake(0);
  }

  protected async add(name: JobName, payload: unknown, job: NewJob): Promise<EnqueuedJob> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO jobs (name, payload, status, run_at, max_attempts, backoff_type, backoff_ms, idempotency_key)
       VALUES ($1, $2, 'waiting', NOW() + ($3::int * INTERVAL '1 millisecond'), $4, $5, $6, $7)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [
        name,
        JSON.stringify(payload),
        Math.max(0, Math.round(job.delayMs ?? 0)),
        job.attempts,
        job.backoff.type,
        job.backoff.delayMs,
        job.idempotencyKey ?? null,
      ],
    );
    const created = rows[0];
    if (created) {
      if (!job.delayMs) this.wake(0);
      return { id: created.id, duplicate: false };
    }
    const existing = await this.dataSource
      .getRepository(JobEntity)
      .findOneByOrFail({ idempotencyKey: job.idempotencyKey! });
    return { id: existing.id, duplicate: true };
  }

  async schedule<N extends JobName>(
    schedulerId: string,
    name: N,
    payload: JobPayloads[N],
    repeat: RepeatOptions,
  ): Promise<void> {
    // Re-registering the same pattern (every boot does) keeps the pending due time, so a run that
    // fell due while paios was down is picked up by the next poll, once, and reported late.
    await this.ledger.upsert(schedulerId, name, payload, repeat);
  }

  unschedule(schedulerId: string): Promise<boolean> {
    return this.ledger.remove(schedulerId);
  }

  describeSchedules(schedulerIds: string[]): Promise<Map<string, ScheduleStatus>> {
    return this.ledger.status(schedulerIds);
  }

  async close(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    if (this.active.size === 0) return;
    this.logger.log(`waiting for ${this.active.size} running job(s)`);
    const drained = Promise.allSettled([...this.active]).then(() => true);
    const timedOut = new Promise<false>((r) => setTimeout(() => r(false), this.options.shutdownTimeoutMs).unref());
    if (!(await Promise.race([drained, timedOut]))) {
      this.logger.warn(`${this.active.size} job(s) still running at shutdown; they will be retried on next start`);
    }
  }

  private wake(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.ticking) {
        this.again = true;
        return;
      }
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        const soon = this.again;
        this.again = false;
        this.wake(soon ? 0 : this.options.pollIntervalMs);
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    try {
      await this.materialiseDueSchedules();
      const free = this.options.concurrency - this.active.size;
      if (free > 0) for (const job of await this.claim(free)) this.track(this.runJob(job));
      await this.pruneFinished();
    } catch (err) {
      this.logger.error(`job poll failed: ${(err as Error).message}`);
    }
  }

  private track(p: Promise<void>): void {
    this.active.add(p);
    void p.finally(() => {
      this.active.delete(p);
      this.wake(0); // a slot is free: look for more work now
    });
  }

  /** Turns every due schedule into a job, exactly once per due time, and advances it. */
  private async materialiseDueSchedules(): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const due = await em.query<
        {
          id: string;
          name: string;
          payload: unknown;
          pattern: string;
          tz: string | null;
          max_attempts: number;
          backoff_ms: number;
          next_run_at: Date;
        }[]
      >(
        `SELECT id, name, payload, pattern, tz, max_attempts, backoff_ms, next_run_at
           FROM job_schedulers WHERE next_run_at <= NOW() FOR UPDATE SKIP LOCKED`,
      );
      for (const s of due) {
        await em.query(
          `INSERT INTO jobs (name, payload, status, run_at, max_attempts, backoff_type, backoff_ms, idempotency_key, scheduler_id, scheduled_for)
           VALUES ($1, $2, 'waiting', NOW(), $3, 'exponential', $4, $5, $6, $7)
           ON CONFLICT (idempotency_key) DO NOTHING`,
          [
            s.name,
            JSON.stringify(s.payload),
            s.max_attempts,
            s.backoff_ms,
            `schedule:${s.id}:${s.next_run_at.toISOString()}`,
            s.id,
            s.next_run_at,
          ],
        );
        // Runs missed while the process was down collapse into the one just queued.
        const next = nextCronRun(s.pattern, new Date(Math.max(Date.now(), s.next_run_at.getTime())), s.tz ?? 'UTC');
        await em.query(`UPDATE job_schedulers SET next_run_at = $2, updated_at = NOW() WHERE id = $1`, [s.id, next]);
      }
    });
  }

  private async claim(limit: number): Promise<JobEntity[]> {
    const list = returnedRows<Record<string, unknown>>(
      await this.dataSource.query(
        `UPDATE jobs SET status = 'active', attempts_made = attempts_made + 1,
              locked_until = NOW() + ($2::int * INTERVAL '1 millisecond'), updated_at = NOW()
        WHERE id IN (SELECT id FROM jobs WHERE status = 'waiting' AND run_at <= NOW()
                      ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, name, payload, attempts_made, max_attempts, backoff_type, backoff_ms, scheduler_id, scheduled_for`,
        [limit, LEASE_MS],
      ),
    );
    return list.map((r) =>
      Object.assign(new JobEntity(), {
        id: r.id as string,
        name: r.name as string,
        payload: r.payload,
        attemptsMade: r.attempts_made as number,
        maxAttempts: r.max_attempts as number,
        backoffType: r.backoff_type as JobEntity['backoffType'],
        backoffMs: r.backoff_ms as number,
        schedulerId: r.scheduler_id as string | null,
        scheduledFor: r.scheduled_for as Date | null,
      }),
    );
  }

  private async runJob(job: JobEntity): Promise<void> {
    const started = performance.now();
    const handler = this.handlers.get(job.name);
    try {
      if (!handler) throw new Error(`no handler is registered for job "${job.name}"`);
      const context = { id: job.id, name: job.name, attempt: job.attemptsMade, maxAttempts: job.maxAttempts };
      if (job.schedulerId && job.scheduledFor) {
        await this.ledger.run({ id: job.schedulerId, dueAt: job.scheduledFor }, context, (schedule) =>
          handler(job.payload, { ...context, schedule }),
        );
      } else {
        await handler(job.payload, context);
      }
      await this.dataSource.query(
        `UPDATE jobs SET status = 'completed', finished_at = NOW(), locked_until = NULL, updated_at = NOW() WHERE id = $1`,
        [job.id],
      );
      this.options.observer?.jobFinished(job.name, 'completed', performance.now() - started);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retry = job.attemptsMade < job.maxAttempts;
      if (retry) {
        const delay = backoffDelay({ type: job.backoffType, delayMs: job.backoffMs }, job.attemptsMade);
        await this.dataSource.query(
          `UPDATE jobs SET status = 'waiting', last_error = $2, locked_until = NULL, updated_at = NOW(),
                  run_at = NOW() + ($3::int * INTERVAL '1 millisecond') WHERE id = $1`,
          [job.id, message, delay],
        );
        this.logger.warn(
          `job ${job.name} ${job.id} failed (attempt ${job.attemptsMade}/${job.maxAttempts}), retrying in ${delay} ms: ${message}`,
        );
      } else {
        await this.dataSource.query(
          `UPDATE jobs SET status = 'failed', last_error = $2, finished_at = NOW(), locked_until = NULL, updated_at = NOW() WHERE id = $1`,
          [job.id, message],
        );
        this.logger.error(`job ${job.name} ${job.id} failed for good after ${job.attemptsMade} attempt(s): ${message}`);
      }
      this.options.observer?.jobFinished(job.name, retry ? 'retrying' : 'failed', performance.now() - started);
    }
  }

  /** Drops finished jobs past retention, at most once a minute. */
  private async pruneFinished(): Promise<void> {
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    await this.dataSource.query(
      `DELETE FROM jobs WHERE status IN ('completed', 'failed') AND finished_at < NOW() - ($1::bigint * INTERVAL '1 millisecond')`,
      [FINISHED_JOB_RETENTION_MS],
    );
  }
}
