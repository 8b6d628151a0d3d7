import { ScrapeError, ScrapeErrorCode } from './scraping.errors.js';

/** How often a watch runs: as said ("every 2 hours", "daily") and as cron. */
export interface Every {
  text: string;
  cron: string;
}

const UNITS: Record<string, 'minute' | 'hour' | 'day' | 'week'> = {
  m: 'minute',
  min: 'minute',
  mins: 'minute',
  minute: 'minute',
  minutes: 'minute',
  h: 'hour',
  hr: 'hour',
  hrs: 'hour',
  hour: 'hour',
  hours: 'hour',
  d: 'day',
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
};

/** "every hour" / "every 15 minutes" / "daily" / "weekly"; hourly when nothing is said. */
export function parseEvery(text: string | undefined): Every {
  const t = (text ?? '').toLowerCase().trim();
  if (!t || /\bhourly\b/.test(t)) return { text: 'every hour', cron: '0 * * * *' };
  if (/\bdaily\b/.test(t)) return { text: 'every day', cron: '0 8 * * *' };
  if (/\bweekly\b/.test(t)) return { text: 'every week', cron: '0 8 * * 1' };
  const m = /(?:every\s+)?(\d+|an?|one)?\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?)\b/.exec(t);
  if (!m)
    throw new ScrapeError(
      ScrapeErrorCode.Invalid,
      `I cannot read "${text}" as how often; say "every hour" or "every 30 minutes"`,
    );
  const n = /^\d+$/.test(m[1] ?? '') ? Number(m[1]) : 1;
  const unit = UNITS[m[2]!]!;
  switch (unit) {
    case 'minute':
      if (n < 5) throw new ScrapeError(ScrapeErrorCode.Invalid, 'I check a page at most every 5 minutes');
      if (n >= 60) return parseEvery(`every ${Math.round(n / 60)} hours`);
      return { text: `every ${n} minutes`, cron: `*/${n} * * * *` };
    case 'hour':
      if (n >= 24) return parseEvery(`every ${Math.round(n / 24)} days`);
      return n === 1 ? { text: 'every hour', cron: '0 * * * *' } : { text: `every ${n} hours`, cron: `0 */${n} * * *` };
    case 'day':
      return n === 1 ? { text: 'every day', cron: '0 8 * * *' } : { text: `every ${n} days`, cron: `0 8 */${n} * *` };
    case 'week':
      return { text: 'every week', cron: '0 8 * * 1' };
  }
}
