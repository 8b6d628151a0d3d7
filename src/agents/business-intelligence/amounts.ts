import { formatMoney, toDecimalText } from '../../sdk/money.js';
import type { Amounts } from '../../orchestrator/ledger/ledger.repository.js';

/** Sums per currency for people: "€1,500.00 + $300.00", or "nothing". */
export const showAmounts = (a: Amounts): string =>
  Object.keys(a).length
    ? Object.entries(a)
        .map(([c, v]) => formatMoney(v, c))
        .join(' + ')
    : 'nothing';

/** Sums per currency as exact decimal strings, for tool data. */
export const exactAmounts = (a: Amounts): Record<string, string> =>
  Object.fromEntries(Object.entries(a).map(([c, v]) => [c, toDecimalText(v, c)]));
