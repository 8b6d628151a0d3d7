import { startOfDay } from '../../common/clock.js';
import Stripe from 'stripe';

/** What a payment link needs of an invoice (agent #15's invoices have it). */
export interface PayableInvoice {
  id: string;
  number: string;
  currency: string;
  /** Minor units. */
  total: bigint;
  paid: bigint;
}

/**
 * A Stripe account (official SDK): payment links for invoices, and the money that moved through it.
 * Absent when no STRIPE_API_KEY is set. `guardedFetch` (the OutboundClient's) carries the requests
 * made with a key from someone's vault.
 */
export class StripeLinks {
  private readonly stripe: Stripe;

  constructor(apiKey: string, apiBase?: string, guardedFetch?: typeof fetch) {
    const base = apiBase ? new URL(apiBase) : undefined;
    this.stripe = new Stripe(apiKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      ...(guardedFetch ? { httpClient: Stripe.createFetchHttpClient(guardedFetch) } : {}),
      ...(base
        ? {
            host: base.hostname,
            port: base.port || (base.protocol === 'https:' ? 443 : 80),
            protocol: base.protocol === 'https:' ? 'https' : 'http',
          }
        : {}),
    });
  }

  /**
   * Money that moved through Stripe in [from, to): charges and refunds as Stripe booked them, gross,
   * fees and net per currency, in minor units (auto-paginated). The dates are the person's calendar
   * dates: a day runs from their midnight in `timeZone`.
   */
  async balance(
    from: string,
    to: string,
    timeZone: string,
  ): Promise<Record<string, { gross: bigint; fee: bigint; net: bigint; count: number }>> {
    const created = {
      gte: Math.floor(startOfDay(from, timeZone).getTime() / 1000),
      lt: Math.floor(startOfDay(to, timeZone).getTime() / 1000),
    };
    const out: Record<string, { gross: bigint; fee: bigint; net: bigint; count: number }> = {};
    for await (const t of this.stripe.balanceTransactions.list({ created, limit: 100 })) {
      if (t.type !== 'charge' && t.type !== 'payment' && t.type !== 'refund') continue;
      const c = t.currency.toUpperCase();
      const sum = (out[c] ??= { gross: 0n, fee: 0n, net: 0n, count: 0 });
      sum.gross += BigInt(t.amount);
      sum.fee += BigInt(t.fee);
      sum.net += BigInt(t.net);
      sum.count++;
    }
    return out;
  }

  /** A link that pays what is still due on the invoice; the same invoice and amount never get two. */
  async create(invoice: PayableInvoice): Promise<{ id: string; url: string }> {
    const due = invoice.total - invoice.paid;
    if (due <= 0n) throw new Error(`${invoice.number} has nothing left to pay`);
    if (due > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${invoice.number} is too large for an online payment`);
    const key = `paios:${invoice.id}:${due}`;
    const price = await this.stripe.prices.create(
      {
        currency: invoice.currency.toLowerCase(),
        unit_amount: Number(due),
        product_data: { name: `Invoice ${invoice.number}` },
      },
      { idempotencyKey: `${key}:price` },
    );
    const link = await this.stripe.paymentLinks.create(
      {
        line_items: [{ price: price.id, quantity: 1 }],
        metadata: { paios_invoice_id: invoice.id, invoice_number: invoice.number },
      },
      { idempotencyKey: `${key}:link` },
    );
    return { id: link.id, url: link.url };
  }
}
