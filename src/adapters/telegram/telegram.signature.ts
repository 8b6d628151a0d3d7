import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Telegram signs nothing: a webhook is genuine when its X-Telegram-Bot-Api-Secret-Token header holds
 * the secret given to setWebhook. Compares hashes, so neither the content nor the length of the
 * secret leaks through timing. Pure, and timeless: Telegram stamps no request.
 */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined || !expected) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
