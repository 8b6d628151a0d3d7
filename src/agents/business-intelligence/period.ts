/** A half-open date range [from, to) as YYYY-MM-DD. */
export interface Period {
  from: string;
  to: string;
  label: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d = 1) => new Date(Date.UTC(y, m, d));

/**
 * "this month", "last month", "this quarter", "last quarter", "this year", "last year" relative to
 * `today`, the person's calendar date (YYYY-MM-DD).
 */
export function namedPeriod(text: string, today: string): Period | null {
  const t = text.toLowerCase();
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7)) - 1;
  const q = Math.floor(m / 3) * 3;
  if (/last month|previous month/.test(t)) return { from: iso(utc(y, m - 1)), to: iso(utc(y, m)), label: 'last month' };
  if (/last quarter|previous quarter/.test(t))
    return { from: iso(utc(y, q - 3)), to: iso(utc(y, q)), label: 'last quarter' };
  if (/this quarter/.test(t)) return { from: iso(utc(y, q)), to: iso(utc(y, q + 3)), label: 'this quarter' };
  if (/last year|previous year/.test(t)) return { from: iso(utc(y - 1, 0)), to: iso(utc(y, 0)), label: 'last year' };
  if (/this year|year to date|ytd/.test(t)) return { from: iso(utc(y, 0)), to: iso(utc(y + 1, 0)), label: 'this year' };
  if (/this month|month/.test(t)) return { from: iso(utc(y, m)), to: iso(utc(y, m + 1)), label: 'this month' };
  return null;
}

/** The period of the same length just before. */
export function previousPeriod(p: Period): Period {
  const from = new Date(`${p.from}T00:00:00Z`);
  const to = new Date(`${p.to}T00:00:00Z`);
  // Whole months stay whole months (Nov 1 - Dec 1 -> Oct 1 - Nov 1).
  if (from.getUTCDate() === 1 && to.getUTCDate() === 1) {
    const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
    return {
      from: iso(utc(from.getUTCFullYear(), from.getUTCMonth() - months)),
      to: p.from,
      label: 'the period before',
    };
  }
  const days = (to.getTime() - from.getTime()) / 86_400_000;
  return { from: iso(new Date(from.getTime() - days * 86_400_000)), to: p.from, label: 'the period before' };
}
