import { MoneyError } from '../../orchestrator/ledger/money.js';

const SEQUENCE = /\{(0+)\}/;

/** Checks a numbering pattern such as `INV-{YYYY}-{0000}`: it must contain a {0…} sequence token. */
export function assertNumberPattern(pattern: string): void {
  if (!SEQUENCE.test(pattern))
    throw new MoneyError(`invoice number pattern "${pattern}" needs a sequence such as {0000}`);
  if (pattern.length > 48) throw new MoneyError('invoice number pattern is too long');
}

/** `INV-{YYYY}-{0000}` with 2026 and 7 -> `INV-2026-0007`; also {YY}. Longer sequences keep all digits. */
export function formatInvoiceNumber(pattern: string, year: number, sequence: number): string {
  assertNumberPattern(pattern);
  return pattern
    .replace(/\{YYYY\}/g, String(year))
    .replace(/\{YY\}/g, String(year % 100).padStart(2, '0'))
    .replace(SEQUENCE, (_m, zeros: string) => String(sequence).padStart(zeros.length, '0'));
}
