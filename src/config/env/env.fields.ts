import { z } from 'zod';

/** The value types settings share: each carries the message a bad value gets (never the value). */
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const port = z.coerce
  .number({ message: 'expected a port number' })
  .int('expected a whole number')
  .min(0, 'expected a port between 0 and 65535')
  .max(65535, 'expected a port between 0 and 65535');

export const positiveInt = (what: string) =>
  z.coerce
    .number({ message: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);

export const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  message: 'expected a postgres:// URL such as postgres://user:pass@host:5432/paios',
});

export const redisUrl = z.url({
  protocol: /^rediss?$/,
  message: 'expected a redis:// URL such as redis://127.0.0.1:6379',
});

export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Entries of a comma-separated list, trimmed, without empty ones. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "key=agent number" pairs separated by commas; agent numbers 1-999. */
export const agentBindings = (what: string) =>
  z
    .string()
    .default('')
    .transform((v, ctx) => {
      const out: Record<string, number> = {};
      for (const part of splitList(v)) {
        const m = /^([^=\s]+)\s*=\s*#?(\d{1,3})$/.exec(part);
        if (!m || Number(m[2]) < 1) {
          ctx.addIssue({ code: 'custom', message: `expected ${what}` });
          return z.NEVER;
        }
        out[m[1]!] = Number(m[2]);
      }
      return out;
    });

export const duration = z.string().regex(/^\d+\s*(s|m|h|d)$/, 'expected a duration such as 30m, 12h or 30d');
