import type { JobObserver } from './job-queue.port.js';

/** Optional observer of finished jobs (metrics); provided by the metrics module, a no-op without it. */
export const JOB_OBSERVER = Symbol('JOB_OBSERVER');

export const NOOP_JOB_OBSERVER: JobObserver = { jobFinished: () => undefined };
