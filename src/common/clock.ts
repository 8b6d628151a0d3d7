/**
 * Time, injected. Everything that asks "what time is it" or "what day is it" for a person goes through
 * a Clock so tests can stand at any instant (23:59, a month end, a DST change) and still pass.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** The real wall clock. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until moved; for tests and simulations. */
export class FixedClock extends Clock {
  private at: number;

  constructor(at: Date | string | number) {
    super();
    this.at = new Date(at).getTime();
    if (Number.isNaN(this.at)) throw new Error(`not an instant: ${String(at)}`);
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date | string | number): void {
    this.at = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) that a person in `timeZone` sees at `instant`. */
export function calendarDate(instant: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD; the parts are read explicitly so no locale quirk leaks in.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new Error(`not a calendar date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** `date` (YYYY-MM-DD) moved by `days` calendar days. */
export function addCalendarDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** Minutes east of UTC that `timeZone` shows at `instant` (Berlin in summer: 120). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a calendar date begins in `timeZone` (its local midnight, or the first moment after a gap). */
export function startOfDay(date: string, timeZone: string): Date {
  const midnightUtc = dayNumber(date) * 86_400_000;
  // Two passes settle the offset even when midnight sits next to a DST change.
  let at = midnightUtc - offsetMinutes(new Date(midnightUtc), timeZone) * 60_000;
  at = midnightUtc - offsetMinutes(new Date(at), timeZone) * 60_000;
  return new Date(at);
}

/** The clock read in the person's time zone (PAIOS_TIMEZONE): what "today" means to them. */
export class Calendar {
  constructor(
    readonly clock: Clock,
    readonly timeZone: string,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /** Today's date (YYYY-MM-DD) for the person, never the database's CURRENT_DATE or UTC's. */
  today(): string {
    return calendarDate(this.clock.now(), this.timeZone);
  }
}
