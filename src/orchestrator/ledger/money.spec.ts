import { describe, expect, it } from '@jest/globals';
import {
  computeTotals,
  formatMoney,
  MoneyError,
  minorDigits,
  parseAmount,
  parseQuantity,
  parseRate,
  quantityText,
  toDecimalText,
} from './money.js';

describe('money in minor units', () => {
  it('knows the minor digits of currencies', () => {
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('BHD'), minorDigits('USD')]).toEqual([2, 0, 3, 2]);
    expect(() => minorDigits('EURO')).toThrow(MoneyError);
  });

  it('parses amounts exactly, refusing what would lose or invent money', () => {
    expect(parseAmount('150', 'EUR')).toBe(15000n);
    expect(parseAmount('0.10', 'EUR')).toBe(10n);
    expect(parseAmount(0.1, 'EUR')).toBe(10n); // 0.1 as a float still means ten cents
    expect(parseAmount('1,500.25', 'USD')).toBe(150025n);
    expect(parseAmount('1500', 'JPY')).toBe(1500n);
    expect(parseAmount('9007199254740993.01', 'EUR')).toBe(900719925474099301n); // beyond float precision
    expect(() => parseAmount('1.005', 'EUR')).toThrow('more than 2 decimal places');
    expect(() => parseAmount('1.5', 'JPY')).toThrow('more than 0 decimal places');
    expect(() => parseAmount('-5', 'EUR')).toThrow('cannot be negative');
    expect(() => parseAmount('ten', 'EUR')).toThrow('not a number');
  });

  it('parses quantities to thousandths and rates to basis points', () => {
    expect(parseQuantity('10')).toBe(10000n);
    expect(parseQuantity(2.5)).toBe(2500n);
    expect(parseQuantity('0.125')).toBe(125n);
    expect(() => parseQuantity('0')).toThrow('more than zero');
    expect(() => parseQuantity('-1')).toThrow('negative');
    expect(() => parseQuantity('0.0001')).toThrow('more than 3 decimal places');
    expect(parseRate('20%')).toBe(2000);
    expect(parseRate(7.5)).toBe(750);
    expect(() => parseRate('120')).toThrow('more than 100%');
  });

  it('computes line and invoice totals, rounding half up once per line', () => {
    const t = computeTotals(
      [
        { description: 'Design', quantity: 10000n, unitPrice: 15000n, taxRate: 2000 }, // 10 h x 150.00 at 20%
        { description: 'Hosting', quantity: 1000n, unitPrice: 999n, taxRate: 2000 }, // 9.99, tax 1.998 -> 2.00
        { description: 'Third of a day', quantity: 333n, unitPrice: 100n, taxRate: 0 }, // 0.333 x 1.00 = 0.333 -> 0.33
      ],
      0,
    );
    expect(t.lines.map((l) => [l.net, l.tax, l.total])).toEqual([
      [150000n, 30000n, 180000n],
      [999n, 200n, 1199n],
      [33n, 0n, 33n],
    ]);
    expect([t.subtotal, t.discount, t.tax, t.total]).toEqual([151032n, 0n, 30200n, 181232n]);
  });

  it('applies a discount before tax, per line, and keeps totals equal to the sum of lines', () => {
    const t = computeTotals(
      [
        { description: 'A', quantity: 1000n, unitPrice: 1001n, taxRate: 1900 },
        { description: 'B', quantity: 3000n, unitPrice: 333n, taxRate: 700 },
      ],
      1250, // 12.5%
    );
    // A: net 10.01, discount 1.25125 -> 1.25, taxable 8.76, tax 1.6644 -> 1.66
    // B: net 9.99, discount 1.24875 -> 1.25, taxable 8.74, tax 0.6118 -> 0.61
    expect(t.lines.map((l) => [l.net, l.discount, l.tax, l.total])).toEqual([
      [1001n, 125n, 166n, 1042n],
      [999n, 125n, 61n, 935n],
    ]);
    expect(t.total).toBe(t.lines.reduce((a, l) => a + l.total, 0n));
    expect(t.total).toBe(t.subtotal - t.discount + t.tax);
  });

  it('refuses negative quantities and prices, and rates over 100%', () => {
    expect(() => computeTotals([{ description: 'x', quantity: -1000n, unitPrice: 100n, taxRate: 0 }])).toThrow(
      'quantity of "x"',
    );
    expect(() => computeTotals([{ description: 'x', quantity: 1000n, unitPrice: -1n, taxRate: 0 }])).toThrow(
      'cannot be negative',
    );
    expect(() => computeTotals([{ description: 'x', quantity: 1000n, unitPrice: 1n, taxRate: 10001 }])).toThrow(
      'tax rate',
    );
    expect(() => computeTotals([], 20000)).toThrow('discount');
  });

  it('refuses amounts, quantities and totals that could not be stored (a rate of 1e20)', () => {
    expect(() => parseAmount(1e20, 'EUR')).toThrow(MoneyError);
    expect(() => parseAmount('100000000000000000000', 'EUR')).toThrow('more than paios handles');
    expect(() => parseAmount('1e20', 'EUR')).toThrow('is not a number');
    expect(() => parseAmount('9'.repeat(5000), 'EUR')).toThrow('is not a number');
    expect(parseAmount('10000000000000000', 'EUR')).toBe(10n ** 18n);
    expect(() => parseAmount('10000000000000000.01', 'EUR')).toThrow('more than paios handles');
    expect(() => parseQuantity(1e7)).toThrow('more than 1,000,000');
    expect(() => parseRate(1e20)).toThrow('more than 100%');
    expect(() =>
      computeTotals([{ description: 'x', quantity: 1_000_000_000n, unitPrice: 10n ** 15n, taxRate: 0 }]),
    ).toThrow('invoice total is more than paios handles');
  });

  it('formats without floats', () => {
    expect(toDecimalText(5n, 'EUR')).toBe('0.05');
    expect(toDecimalText(123456789012345678n, 'EUR')).toBe('1234567890123456.78');
    expect(formatMoney(181232n, 'EUR')).toBe('€1,812.32');
    expect(formatMoney(1500n, 'JPY')).toBe('¥1,500');
    expect(formatMoney(123456789012345678n, 'USD')).toBe('$1,234,567,890,123,456.78');
    expect(quantityText(10500n)).toBe('10.5');
    expect(quantityText(2000n)).toBe('2');
  });
});
