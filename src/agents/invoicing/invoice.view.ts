import type { Client, Invoice } from './invoice.types.js';
import { formatMoney, quantityText, toDecimalText } from '../../sdk/money.js';

/** An invoice as tool data: amounts as exact decimal strings with their currency, never floats. */
export function invoiceData(i: Invoice) {
  const m = (v: bigint) => toDecimalText(v, i.currency);
  return {
    id: i.id,
    number: i.number,
    status: i.status,
    client: i.client.name,
    currency: i.currency,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    subtotal: m(i.subtotal),
    discount: m(i.discount),
    tax: m(i.tax),
    total: m(i.total),
    paid: m(i.paid),
    due: m(i.total - i.paid),
    lines: i.lines.map((l) => ({
      description: l.description,
      quantity: quantityText(l.quantity),
      unitPrice: m(l.unitPrice),
      taxRate: l.taxRate / 100,
      total: m(l.total),
    })),
  };
}

export function clientData(c: Client) {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    currency: c.currency,
    paymentTermsDays: c.paymentTermsDays,
    taxId: c.taxId,
  };
}

/** "INV-2026-0007 · Acme GmbH · €1,800.00 · sent, due 2026-12-08" */
export function invoiceLine(i: Invoice): string {
  const owed = i.total - i.paid;
  const money = formatMoney(i.total, i.currency);
  const state =
    i.status === 'partially_paid' ? `partly paid, ${formatMoney(owed, i.currency)} owed` : i.status.replace('_', ' ');
  return `${i.number} · ${i.client.name} · ${money} · ${state}, due ${i.dueDate}`;
}
