/**
 * The one job queue port every feature uses: enqueue now or later, repeat on a cron pattern, retry
 * with backoff, deduplicate by idempotency key. Two drivers implement it: BullMQ on Redis (server
 * mode) and an in-process runner that stores its jobs in the database (embedded mode).
 */

/**
 * Job names and their payload types. Features add theirs by declaration merging:
 * `declare module '.../job-queue.port.js' { interface JobPayloads { 'invoice.send': { id: string } } }`
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}

export type JobName = Extract<keyof JobPayloads, string>;

export interface Backoff {
  type: 'fixed' | 'exponential';
  /** First retry delay; exponential doubles it on every further attempt. */
  delayMs: number;
}

export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** A second enqueue with the same key (while the first is kept) is a no-op returning the first job. */
  idempotencyKey?: string;
  /** Total tries including the first; default 3. */
  attempts?: number;
  backoff?: Backoff;
}

export interface RepeatOptions {
  /** Five- or six-field cron pattern. */
  cron: string;
  /** IANA time zone the pattern is read in; default UTC. */
  tz?: string;
  attempts?: number;
  backoff?: Backoff;
}

export interface EnqueuedJob {
  id: string;
  /** True when an existing job had the same idempotency key and nothing new was queued. */
  duplicate: boolean;
}

/** The due time a repeatable job's run stands for. */
export interface ScheduleRunInfo {
  /** The schedule's id. */
  id: string;
  dueAt: Date;
  /** Started well after `dueAt`: a run caught up after paios was down, or held up. */
  late: boolean;
}

export interface JobContext {
  id: string;
  name: string;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  /** Set when the job is a run of a repeatable schedule. */
  schedule?: ScheduleRunInfo;
}

export type JobHandler<P = unknown> = (payload: P, context: JobContext) => Promise<void>;

export type JobOutcome = 'completed' | 'retrying' | 'failed';

export interface JobObserver {
  jobFinished(name: string, outcome: JobOutcome, durationMs: number): void;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF: Backoff = { type: 'exponential', delayMs: 1000 };

export type ScheduleOutcome = 'running' | 'succeeded' | 'retrying' | 'failed';

/** What "which digests do I get" and the like show about one schedule. */
export interface ScheduleStatus {
  id: string;
  nextRunAt: Date;
  lastRun: {
    dueAt: Date;
    startedAt: Date;
    finishedAt: Date | null;
    outcome: ScheduleOutcome;
    late: boolean;
    error: string | null;
  } | null;
}

/** How long finished jobs (and so their idempotency keys) are kept. */
export const FINISHED_JOB_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export class JobQueueError extends Error {
  override name = 'JobQueueError';
}

/** One job as a driver stores it: the caller's options with the default attempts and backoff filled in. */
export type NewJob = EnqueueOptions & Required<Pick<EnqueueOptions, 'attempts' | 'backoff'>>;

export abstract class JobQueue {
  abstract readonly driver: 'bullmq' | 'embedded';

  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<EnqueuedJob> {
    return this.add(name, payload ?? {}, {
      ...options,
      attempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
    });
  }

  /** Stores one job; a second with the same idempotency key (while the first is kept) returns the first. */
  protected abstract add(name: JobName, payload: unknown, job: NewJob): Promise<EnqueuedJob>;

  /** Creates or replaces the repeatable schedule `schedulerId`. */
  abstract schedule<N extends JobName>(
    schedulerId: string,
    name: N,
    payload: JobPayloads[N],
    repeat: RepeatOptions,
  ): Promise<void>;

  /** Next due time and last run (with its outcome) of each known schedule, by id. */
  abstract describeSchedules(schedulerIds: string[]): Promise<Map<string, ScheduleStatus>>;

  /** Removes a schedule; returns false when there was none. */
  abstract unschedule(schedulerId: string): Promise<boolean>;

  /** Stops taking new jobs and waits for running ones (up to the shutdown timeout). */
  abstract close(): Promise<void>;
}

/** Delay before retry number `retry` (1 = first retry). */
export function backoffDelay(backoff: Backoff, retry: number): number {
  return backoff.type === 'fixed' ? backoff.delayMs : backoff.delayMs * 2 ** (retry - 1);
}
