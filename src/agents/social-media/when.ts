import { addCalendarDays, calendarDate, startOfDay } from '../../common/clock.js';

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** "at 9", "9pm", "14:30", "9 o'clock" -> hours and minutes; undefined when no time is named. */
export function timeOfDay(text: string): { hour: number; minute: number } | undefined {
  const m =
    /\b(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|o'?clock|h)\b/i.exec(text) ??
    /\bat\s+(\d{1,2})(?::(\d{2}))?\b/i.exec(text) ??
    /\b(\d{1,2}):(\d{2})\b/.exec(text);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const half = m[3]?.toLowerCase().replace(/\./g, '');
  if (half === 'pm' && hour < 12) hour += 12;
  if (half === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute };
}

/** The words that name when to post in a message ("tomorrow at 9", "in 2 hours"), for the router. */
export const WHEN =
  /\b(?:(?:tomorrow|today|tonight|(?:on|next)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:mon|tues|wednes|thurs|fri|satur|sun)day)(?:\s+(?:morning|evening|afternoon))?(?:\s+at\s+\d{1,2}(?::\d{2})?\s*(?:am|pm|o'?clock)?)?|at\s+\d{1,2}(?::\d{2})?\s*(?:am|pm|o'?clock)?|in\s+\d+\s*(?:minutes?|mins?|hours?|hrs?|days?)|\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2})?)/i;

export class WhenError extends Error {
  override name = 'WhenError';
}

/**
 * The instant `text` names, read in `timeZone` from `now`: "tomorrow at 9", "at 17:30" (today, or
 * tomorrow once past), "friday at 10", "in 2 hours", "2026-12-03 09:00". Mornings default to 9.
 */
export function parseWhen(text: string, now: Date, timeZone: string): Date {
  const t = text.toLowerCase().trim();
  const rel = /\bin\s+(\d+)\s*(minutes?|mins?|hours?|hrs?|days?)\b/.exec(t);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2]!.startsWith('d') ? 86_400_000 : rel[2]!.startsWith('h') ? 3_600_000 : 60_000;
    return new Date(now.getTime() + n * unit);
  }
  const today = calendarDate(now, timeZone);
  const iso = /\b(\d{4}-\d{2}-\d{2})\b/.exec(t);
  const time =
    timeOfDay(t.replace(/\b\d{4}-\d{2}-\d{2}\b/, '')) ??
    (/\bevening|tonight\b/.test(t)
      ? { hour: 19, minute: 0 }
      : /\bafternoon\b/.test(t)
        ? { hour: 14, minute: 0 }
        : undefined);
  let day: string | undefined;
  if (iso) day = iso[1];
  else if (/\btomorrow\b/.test(t)) day = addCalendarDays(today, 1);
  else if (/\b(today|tonight)\b/.test(t)) day = today;
  else {
    const named = DAYS.findIndex((d) => new RegExp(`\\b${d}\\b`).test(t));
    if (named >= 0) {
      const current = new Date(`${today}T12:00:00Z`).getUTCDay();
      day = addCalendarDays(today, (named - current + 7) % 7 || 7);
    }
  }
  if (!day && !time)
    throw new WhenError(`I could not tell when "${text}" is; say e.g. "tomorrow at 9" or "in 2 hours".`);
  const { hour, minute } = time ?? { hour: 9, minute: 0 };
  let at = new Date(startOfDay(day ?? today, timeZone).getTime() + (hour * 60 + minute) * 60_000);
  // "at 9" once 9 has passed today: tomorrow's.
  if (!day && at <= now)
    at = new Date(startOfDay(addCalendarDays(today, 1), timeZone).getTime() + (hour * 60 + minute) * 60_000);
  if (at <= now) throw new WhenError(`${text} is in the past.`);
  return at;
}

/** "Wed 2 Dec, 09:00" in the person's time zone. */
export function showTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** The hour and minute `at` shows in `timeZone`. */
export function localTime(at: Date, timeZone: string): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  return {
    hour: Number(parts.find((p) => p.type === 'hour')?.value),
    minute: Number(parts.find((p) => p.type === 'minute')?.value),
  };
}
