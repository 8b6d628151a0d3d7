import { CronExpressionParser } from 'cron-parser';
import { JobQueueError } from './job-queue.port.js';

/** The first time after `after` that `pattern` fires, read in time zone `tz`. */
export function nextCronRun(pattern: string, after: Date, tz = 'UTC'): Date {
  try {
    return CronExpressionParser.parse(pattern, { currentDate: after, tz }).next().toDate();
  } catch (err) {
    throw new JobQueueError(`invalid cron pattern "${pattern}": ${(err as Error).message}`);
  }
}
