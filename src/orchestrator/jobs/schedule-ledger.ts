import type { DataSource } from 'typeorm';
import { returnedRows } from '../../database/query-result.js';
import { nextCronRun } from './cron.js';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF,
  type RepeatOptions,
  type ScheduleOutcome,
  type ScheduleRunInfo,
  type ScheduleStatus,
} from './job-queue.port.js';

/** A run that starts more than this long after its due time is reported as late. */
export const LATE_AFTER_MS = 60_000;

/** The row as it was before an upsert: the BullMQ driver catches up a due time nobody claimed. */
export interface PreviousSchedule {
  nextRunAt: Date;
  lastDueAt: Date | null;
}

interface StatusRow {
  id: string;
  next_run_at: Date;
  last_due_at: Date | null;
  last_started_at: Date | null;
  last_finished_at: Date | null;
  last_outcome: ScheduleOutcome | null;
  last_late: boolean;
  last_error: string | null;
}

/**
 * The `job_schedulers` rows, in both modes: pattern, next due time, and the last run. Each due time
 * is claimed by one job (`claim`), so a schedule's run happens once per due time whichever way it
 * was queued (the embedded poller, a BullMQ job scheduler, or a catch-up at boot), and retries of
 * that job keep their claim.
 */
export class ScheduleLedger {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates or updates a schedule; the pending due time is kept while the pattern is unchanged. */
  async upsert(
    schedulerId: string,
    name: string,
    payload: unknown,
    repeat: RepeatOptions,
    now = new Date(),
  ): Promise<PreviousSchedule | null> {
    const tz = repeat.tz ?? 'UTC';
    const next = nextCronRun(repeat.cron, now, tz); // also validates the pattern
    const backoff = repeat.backoff ?? DEFAULT_BACKOFF;
    const [before] = await this.dataSource.query<{ next_run_at: Date; last_due_at: Date | null; same: boolean }[]>(
      `SELECT next_run_at, last_due_at, (pattern = $2 AND tz IS NOT DISTINCT FROM $3) AS same FROM job_schedulers WHERE id = $1`,
      [schedulerId, repeat.cron, tz],
    );
    await this.dataSource.query(
      `INSERT INTO job_schedulers (id, name, payload, pattern, tz, max_attempts, backoff_ms, next_run_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET
         name = EXCLUDED.name, payload = EXCLUDED.payload, max_attempts = EXCLUDED.max_attempts,
         backoff_ms = EXCLUDED.backoff_ms, updated_at = NOW(),
         next_run_at = CASE WHEN job_schedulers.pattern = EXCLUDED.pattern AND job_schedulers.tz IS NOT DISTINCT FROM EXCLUDED.tz
                            THEN job_schedulers.next_run_at ELSE EXCLUDED.next_run_at END,
         pattern = EXCLUDED.pattern, tz = EXCLUDED.tz`,
      [
        schedulerId,
        name,
        JSON.stringify(payload ?? {}),
        repeat.cron,
        tz,
        repeat.attempts ?? DEFAULT_ATTEMPTS,
        backoff.delayMs,
        next,
      ],
    );
    return before?.same ? { nextRunAt: before.next_run_at, lastDueAt: before.last_due_at } : null;
  }

  async remove(schedulerId: string): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(`DELETE FROM job_schedulers WHERE id = $1 RETURNING id`, [schedulerId]),
    );
    return rows.length > 0;
  }

  /**
   * Claims due time `dueAt` of the schedule for job `jobId` and advances its next due time.
   * 'duplicate': that due time (or a later one) already ran under another job: skip this one.
   * 'unknown': no such schedule row (queued before the ledger existed): run it, record nothing.
   */
  async claim(schedulerId: string, dueAt: Date, jobId: string): Promise<ScheduleRunInfo | 'duplicate' | 'unknown'> {
    const [row] = returnedRows<{ pattern: string; tz: string | null; last_late: boolean }>(
      await this.dataSource.query(
        `UPDATE job_schedulers SET last_due_at = $2, last_job_id = $3, last_started_at = NOW(), last_finished_at = NULL,
                last_outcome = 'running', last_error = NULL,
                last_late = NOW() - $2::timestamptz > ($4::int * INTERVAL '1 millisecond')
          WHERE id = $1 AND (last_due_at IS NULL OR last_due_at < $2 OR (last_due_at = $2 AND last_job_id = $3))
          RETURNING pattern, tz, last_late`,
        [schedulerId, dueAt, jobId, LATE_AFTER_MS],
      ),
    );
    if (!row) {
      const [exists] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM job_schedulers WHERE id = $1`, [
        schedulerId,
      ]);
      return exists ? 'duplicate' : 'unknown';
    }
    const next = nextCronRun(row.pattern, new Date(Math.max(Date.now(), dueAt.getTime())), row.tz ?? 'UTC');
    await this.dataSource.query(`UPDATE job_schedulers SET next_run_at = $2 WHERE id = $1 AND next_run_at < $2`, [
      schedulerId,
      next,
    ]);
    return { id: schedulerId, dueAt, late: row.last_late };
  }

  /** Records how the claimed run ended (only while `jobId` still holds the claim). */
  async finish(schedulerId: string, jobId: string, outcome: ScheduleOutcome, error?: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE job_schedulers SET last_outcome = $3, last_error = $4, last_finished_at = NOW()
        WHERE id = $1 AND last_job_id = $2`,
      [schedulerId, jobId, outcome, error?.slice(0, 1000) ?? null],
    );
  }

  async status(schedulerIds: string[]): Promise<Map<string, ScheduleStatus>> {
    if (schedulerIds.length === 0) return new Map();
    const rows = await this.dataSource.query<StatusRow[]>(
      `SELECT id, next_run_at, last_due_at, last_started_at, last_finished_at, last_outcome, last_late, last_error
         FROM job_schedulers WHERE id = ANY($1::varchar[])`,
      [schedulerIds],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          nextRunAt: r.next_run_at,
          lastRun:
            r.last_due_at && r.last_started_at && r.last_outcome
              ? {
                  dueAt: r.last_due_at,
                  startedAt: r.last_started_at,
                  finishedAt: r.last_finished_at,
                  outcome: r.last_outcome,
                  late: r.last_late,
                  error: r.last_error,
                }
              : null,
        },
      ]),
    );
  }

  /**
   * Runs one job of a schedule: claims its due time, runs `work` unless another job ran that due
   * time already, and records the outcome. Rethrows the job's error so the driver retries it.
   */
  async run(
    meta: { id: string; dueAt: Date },
    job: { id: string; attempt: number; maxAttempts: number },
    work: (info: ScheduleRunInfo | undefined) => Promise<void>,
  ): Promise<'ran' | 'duplicate'> {
    const claimed = await this.claim(meta.id, meta.dueAt, job.id);
    if (claimed === 'duplicate') return 'duplicate';
    const info = claimed === 'unknown' ? undefined : claimed;
    try {
      await work(info);
    } catch (err) {
      if (info) {
        const last = job.attempt >= job.maxAttempts;
        await this.finish(meta.id, job.id, last ? 'failed' : 'retrying', (err as Error).message);
      }
      throw err;
    }
    if (info) await this.finish(meta.id, job.id, 'succeeded');
    return 'ran';
  }
}
