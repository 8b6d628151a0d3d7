/**
 * Reads what people say about digests in chat: "send me a digest every weekday at 8:00 in this
 * channel", "digest every monday and thursday at 7:30am", "stop my digest", "which digests do I get".
 * A bare "daily digest" is not a schedule: it asks for today's digest and goes to the agents.
 */

export type DigestCommand =
  { kind: 'subscribe'; cron: string; description: string } | { kind: 'unsubscribe' } | { kind: 'list' };

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_RE = /\b(sun|mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?)(?:day)?s?\b/g;

export function parseDigestCommand(input: string): DigestCommand | null {
  const text = input.toLowerCase().replace(/\s+/g, ' ').trim();
  if (!/\bdigests?\b/.test(text)) return null;
  if (/\b(stop|cancel|unsubscribe|no more|turn off|disable|remove)\b/.test(text)) return { kind: 'unsubscribe' };
  if (/\b(which|list|show)\b.*\bdigests\b|\bmy digests\b|\bdigest (schedules?|subscriptions?)\b/.test(text))
    return { kind: 'list' };

  const time = parseTime(text);
  let dow: string;
  let days: string;
  if (/\bweekdays?\b|\bworkdays?\b|\bmonday (to|through|-) friday\b/.test(text)) {
    dow = '1-5';
    days = 'every weekday';
  } else if (/\bweekends?\b/.test(text)) {
    dow = '0,6';
    days = 'every weekend day';
  } else {
    const named = [...text.matchAll(DAY_RE)].map((m) => DAYS.findIndex((d) => d.startsWith(m[1]!.slice(0, 3))));
    const unique = [...new Set(named.filter((d) => d >= 0))].sort((a, b) => a - b);
    if (unique.length > 0 && /\b(every|each|on)\b/.test(text)) {
      dow = unique.join(',');
      days = `every ${unique.map((d) => cap(DAYS[d]!)).join(', ')}`;
    } else if (
      /\b(every|each) (day|morning|evening)\b|\bdaily\b|\beveryday\b/.test(text) &&
      (time || /\bevery|each\b/.test(text))
    ) {
      dow = '*';
      days = 'every day';
    } else if (/\b(every|each) week\b|\bweekly\b/.test(text)) {
      dow = '1';
      days = 'every Monday';
    } else return null;
  }
  const at = time ?? { hour: 8, minute: 0 };
  const hhmm = `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
  return { kind: 'subscribe', cron: `${at.minute} ${at.hour} * * ${dow}`, description: `${days} at ${hhmm}` };
}

function parseTime(text: string): { hour: number; minute: number } | null {
  const m =
    /\bat (\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?/.exec(text) ??
    /\b(\d{1,2}):(\d{2})\s*(am|pm)?\b/.exec(text);
  if (m) {
    let hour = Number(m[1]);
    const minute = m[2] ? Number(m[2]) : 0;
    const meridiem = m[3]?.replace(/\./g, '');
    if (meridiem === 'pm' && hour < 12) hour += 12;
    if (meridiem === 'am' && hour === 12) hour = 0;
    if (hour > 23 || minute > 59) return null;
    return { hour, minute };
  }
  if (/\bat noon\b/.test(text)) return { hour: 12, minute: 0 };
  if (/\bevery (day |weekday )?evening\b/.test(text)) return { hour: 18, minute: 0 };
  return null;
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
