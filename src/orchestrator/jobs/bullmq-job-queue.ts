import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF,
  FINISHED_JOB_RETENTION_MS,
  JobQueue,
  type EnqueuedJob,
  type EnqueueOptions,
  type JobName,
  type JobPayloads,
  type RepeatOptions,
} from './job-queue.port.js';
import { nextCronRun } from './cron.js';

export const PAIOS_QUEUE = 'paios';

/**
 * Server mode's driver: one BullMQ queue on Redis. Workers (`paios worker`, or `paios start` unless
 * PAIOS_PROCESS_JOBS=false) consume it through BullmqJobProcessor.
 */
export class BullmqJobQueue extends JobQueue {
  readonly driver = 'bullmq';

  constructor(private readonly queue: Queue) {
    super();
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<EnqueuedJob> {
    const backoff = options.backoff ?? DEFAULT_BACKOFF;
    const jobId = options.idempotencyKey ? bullJobId(options.idempotencyKey) : undefined;
    if (jobId) {
      // Informational only: BullMQ itself refuses a second job with this id, even under a race.
      const existing = await this.queue.getJob(jobId);
      if (existing) return { id: jobId, duplicate: true };
    }
    const job = await this.queue.add(name, payload ?? {}, {
      jobId,
      delay: options.delayMs,
      attempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: backoff.type, delay: backoff.delayMs },
      removeOnComplete: { age: FINISHED_JOB_RETENTION_MS / 1000 },
      removeOnFail: { age: FINISHED_JOB_RETENTION_MS / 1000 },
    });
    return { id: job.id!, duplicate: false };
  }

  async schedule<N extends JobName>(
    schedulerId: string,
    name: N,
    payload: JobPayloads[N],
    repeat: RepeatOptions,
  ): Promise<void> {
    nextCronRun(repeat.cron, new Date(), repeat.tz); // validate with the same rules as embedded mode
    const backoff = repeat.backoff ?? DEFAULT_BACKOFF;
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
  }

  async unschedule(schedulerId: string): Promise<boolean> {
    return this.queue.removeJobScheduler(schedulerId);
  }

  /** The queue connection is owned and closed by @nestjs/bullmq; workers drain there too. */
  async close(): Promise<void> {}
}

/** BullMQ job ids may not contain ':' and must not look like integers; a digest satisfies both. */
export function bullJobId(idempotencyKey: string): string {
  return `idem-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
}
