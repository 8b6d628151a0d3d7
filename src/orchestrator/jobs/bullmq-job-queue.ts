import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF,
  FINISHED_JOB_RETENTION_MS,
  JobQueue,
  type EnqueuedJob,
  type JobName,
  type JobPayloads,
  type NewJob,
  type RepeatOptions,
  type ScheduleStatus,
} from './job-queue.port.js';
import { nextCronRun } from './cron.js';
import type { ScheduleLedger } from './schedule-ledger.js';

export const PAIOS_QUEUE = 'paios';

/** Where a catch-up run carries its schedule and due time (stripped before the handler sees it). */
export const SCHEDULE_META = '__paiosSchedule';

/** The schedule and due time a BullMQ job stands for, if it is a run of a schedule. */
export function scheduleOf(job: {
  repeatJobKey?: string;
  opts: { prevMillis?: number };
  data: unknown;
}): { id: string; dueAt: Date } | undefined {
  if (job.repeatJobKey && job.opts.prevMillis) return { id: job.repeatJobKey, dueAt: new Date(job.opts.prevMillis) };
  const meta = (job.data as Record<string, unknown> | null)?.[SCHEDULE_META] as
    { id?: string; dueAt?: string } | undefined;
  return meta?.id && meta.dueAt ? { id: meta.id, dueAt: new Date(meta.dueAt) } : undefined;
}

/**
 * Server mode's driver: one BullMQ queue on Redis. Workers (`paios worker`, or `paios start` unless
 * PAIOS_PROCESS_JOBS=false) consume it through BullmqJobProcessor.
 */
export class BullmqJobQueue extends JobQueue {
  readonly driver = 'bullmq';

  /** Without a ledger (no database), schedules are BullMQ's alone and nothing is caught up. */
  constructor(
    private readonly queue: Queue,
    private readonly ledger?: ScheduleLedger,
  ) {
    super();
  }

  protected async add(name: JobName, payload: unknown, job: NewJob): Promise<EnqueuedJob> {
    const jobId = job.idempotencyKey ? bullJobId(job.idempotencyKey) : undefined;
    if (jobId) {
      // Informational only: BullMQ itself refuses a second job with this id, even under a race.
      const existing = await this.queue.getJob(jobId);
      if (existing) return { id: jobId, duplicate: true };
    }
    const added = await this.queue.add(name, payload, {
      jobId,
      delay: job.delayMs,
      attempts: job.attempts,
      backoff: { type: job.backoff.type, delay: job.backoff.delayMs },
      removeOnComplete: { age: FINISHED_JOB_RETENTION_MS / 1000 },
      removeOnFail: { age: FINISHED_JOB_RETENTION_MS / 1000 },
    });
    return { id: added.id!, duplicate: false };
  }

  async schedule<N extends JobName>(
    schedulerId: string,
    name: N,
    payload: JobPayloads[N],
    repeat: RepeatOptions,
  ): Promise<void> {
    nextCronRun(repeat.cron, new Date(), repeat.tz); // validate with the same rules as embedded mode
    const backoff = repeat.backoff ?? DEFAULT_BACKOFF;
    const previous = await this.ledger?.upsert(schedulerId, name, payload, repeat);
    await this.queue.upsertJobScheduler(
      schedulerId,
      { pattern: repeat.cron, tz: repeat.tz ?? 'UTC' },
      {
        name,
        data: payload ?? {},
        opts: {
          attempts: repeat.attempts ?? DEFAULT_ATTEMPTS,
          backoff: { type: backoff.type, delay: backoff.delayMs },
          removeOnComplete: { age: FINISHED_JOB_RETENTION_MS / 1000 },
          removeOnFail: { age: FINISHED_JOB_RETENTION_MS / 1000 },
        },
      },
    );
    // BullMQ only looks ahead: a due time that passed with no run claiming it (paios was down) runs
    // now, once: every process that boots queues it under the same job id, and the ledger lets one
    // job per due time run.
    if (
      previous &&
      previous.nextRunAt.getTime() <= Date.now() &&
      !(previous.lastDueAt && previous.lastDueAt >= previous.nextRunAt)
    ) {
      const dueAt = previous.nextRunAt.toISOString();
      await this.queue.add(
        name,
        { ...(payload ?? {}), [SCHEDULE_META]: { id: schedulerId, dueAt } },
        {
          jobId: bullJobId(`schedule:${schedulerId}:${dueAt}`),
          attempts: repeat.attempts ?? DEFAULT_ATTEMPTS,
          backoff: { type: backoff.type, delay: backoff.delayMs },
          removeOnComplete: { age: FINISHED_JOB_RETENTION_MS / 1000 },
          removeOnFail: { age: FINISHED_JOB_RETENTION_MS / 1000 },
        },
      );
    }
  }

  async unschedule(schedulerId: string): Promise<boolean> {
    const inLedger = (await this.ledger?.remove(schedulerId)) ?? false;
    return (await this.queue.removeJobScheduler(schedulerId)) || inLedger;
  }

  async describeSchedules(schedulerIds: string[]): Promise<Map<string, ScheduleStatus>> {
    return this.ledger ? this.ledger.status(schedulerIds) : new Map();
  }

  /** The queue connection is owned and closed by @nestjs/bullmq; workers drain there too. */
  async close(): Promise<void> {}
}

/** BullMQ job ids may not contain ':' and must not look like integers; a digest satisfies both. */
export function bullJobId(idempotencyKey: string): string {
  return `idem-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
}
