/**
 * Money in integer minor units (cents), end to end: amounts are BigInt while computed and never
 * touch a float. Quantities have up to three decimals (stored as thousandths); rates (tax,
 * discount) are basis points (2000 = 20%). Rounding is half up, once per line and per step, so an
 * invoice's totals are the sums of its printed lines.
 */

export class MoneyError extends Error {
  override name = 'MoneyError';
}

const ISO_CURRENCY = /^[A-Z]{3}$/;

/** Digits after the decimal point for a currency (EUR 2, JPY 0, BHD 3), from the ICU data in Node. */
export function minorDigits(currency: string): number {
  if (!ISO_CURRENCY.test(currency)) throw new MoneyError(`"${currency}" is not a currency code such as EUR or USD`);
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    throw new MoneyError(`"${currency}" is not a known currency`);
  }
}

/**
 * Limits that keep every stored amount inside PostgreSQL's BIGINT (9.2e18 minor units): one price
 * or payment, and an invoice's subtotal and total, up to 1e18 minor units (1e16 EUR); a quantity up
 * to a million. Beyond them is a typo (or an attack), never an invoice.
 */
export const MAX_AMOUNT_MINOR = 10n ** 18n;
export const MAX_QUANTITY = 1_000_000n;
export const MAX_TOTAL_MINOR = 10n ** 18n;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

function parseDecimal(text: string, digits: number, what: string): bigint {
  if (text.length > 64) throw new MoneyError(`${what} is not a number`);
  const clean = text.trim().replace(/[_,](?=\d{3}\b)/g, '');
  if (clean.startsWith('-')) throw new MoneyError(`${what} cannot be negative`);
  const m = DECIMAL.exec(clean);
  if (!m) throw new MoneyError(`${what} "${text}" is not a number`);
  const fraction = m[2] ?? '';
  if (fraction.length > digits) throw new MoneyError(`${what} "${text}" has more than ${digits} decimal places`);
  return BigInt(m[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
}

/** "150", "150.5", "1,500.25" in `currency` -> minor units. */
export function parseAmount(value: string | number, currency: string): bigint {
  const digits = minorDigits(currency);
  const minor = parseDecimal(typeof value === 'number' ? numberText(value) : value, digits, 'amount');
  if (minor > MAX_AMOUNT_MINOR)
    throw new MoneyError(
      `amount ${String(value)} is more than paios handles (at most ${toDecimalText(MAX_AMOUNT_MINOR, currency)} ${currency})`,
    );
  return minor;
}

/** "10", "2.5", "0.125" -> thousandths. */
export function parseQuantity(value: string | number): bigint {
  const q = parseDecimal(typeof value === 'number' ? numberText(value) : value, 3, 'quantity');
  if (q === 0n) throw new MoneyError('quantity must be more than zero');
  if (q > MAX_QUANTITY * 1000n) throw new MoneyError(`quantity ${String(value)} is more than 1,000,000`);
  return q;
}

/** "20" or "20%" or "7.5" percent -> basis points (0..10000). */
export function parseRate(value: string | number, what = 'rate'): number {
  const text = typeof value === 'number' ? numberText(value) : value.replace(/%\s*$/, '');
  const bp = parseDecimal(text, 2, what);
  if (bp > 10_000n) throw new MoneyError(`${what} cannot be more than 100%`);
  return Number(bp);
}

/** A JS number as plain decimal text (no exponent), for parsing with the rules above. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new MoneyError(`${n} is not a number`);
  if (n < 0) throw new MoneyError('amounts and quantities cannot be negative');
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** n / d rounded half up, for n >= 0, d > 0. */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  return (n * 2n + d) / (2n * d);
}

export interface LineInput {
  description: string;
  /** thousandths */
  quantity: bigint;
  /** minor units */
  unitPrice: bigint;
  /** basis points */
  taxRate: number;
}

export interface LineAmounts {
  net: bigint;
  discount: bigint;
  tax: bigint;
  total: bigint;
}

export interface InvoiceAmounts {
  lines: LineAmounts[];
  subtotal: bigint;
  discount: bigint;
  tax: bigint;
  total: bigint;
}

/** Line and invoice totals; `discountRate` (basis points) applies to every line before tax. */
export function computeTotals(lines: LineInput[], discountRate = 0): InvoiceAmounts {
  if (discountRate < 0 || discountRate > 10_000) throw new MoneyError('discount must be between 0% and 100%');
  const computed = lines.map((l) => {
    if (l.quantity <= 0n) throw new MoneyError(`quantity of "${l.description}" must be more than zero`);
    if (l.unitPrice < 0n) throw new MoneyError(`price of "${l.description}" cannot be negative`);
    if (l.taxRate < 0 || l.taxRate > 10_000)
      throw new MoneyError(`tax rate of "${l.description}" must be between 0% and 100%`);
    const net = divRoundHalfUp(l.quantity * l.unitPrice, 1000n);
    const discount = divRoundHalfUp(net * BigInt(discountRate), 10_000n);
    const tax = divRoundHalfUp((net - discount) * BigInt(l.taxRate), 10_000n);
    return { net, discount, tax, total: net - discount + tax };
  });
  const sum = (k: keyof LineAmounts) => computed.reduce((a, l) => a + l[k], 0n);
  const totals = {
    lines: computed,
    subtotal: sum('net'),
    discount: sum('discount'),
    tax: sum('tax'),
    total: sum('total'),
  };
  if (totals.subtotal > MAX_TOTAL_MINOR || totals.total > MAX_TOTAL_MINOR)
    throw new MoneyError('the invoice total is more than paios handles; check the quantities and prices');
  return totals;
}

/** Minor units as text with the currency's decimals, no float: 1234567n EUR -> "12345.67". */
export function toDecimalText(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const s = abs.toString().padStart(digits + 1, '0');
  const whole = digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return negative ? `-${whole}` : whole;
}

/** Minor units for people: "€12,345.67", "$1,500.00", "¥1,500". */
export function formatMoney(minor: bigint, currency: string, locale = 'en'): string {
  // Intl accepts a decimal string exactly (no float rounding) since Node 19.
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
    toDecimalText(minor, currency) as unknown as number,
  );
}

/** Thousandths as text: 10500n -> "10.5". */
export function quantityText(thousandths: bigint): string {
  return toDecimalText(thousandths, 'BHD').replace(/\.?0+$/, '');
}
