import type Stripe from 'stripe';
import { HttpFake, type FakeReply } from './http-fake.js';

/**
 * A local stand-in for the two Stripe endpoints paios uses (POST /v1/prices, POST /v1/payment_links),
 * shaped after Stripe's API reference: form-encoded requests, JSON objects back, and Idempotency-Key
 * honoured (the same key returns the same object).
 */
export type FakeBalanceTransaction = Pick<
  Stripe.BalanceTransaction,
  'id' | 'object' | 'amount' | 'fee' | 'net' | 'currency' | 'type' | 'created' | 'status' | 'description'
>;

export function stripeFake(balance: FakeBalanceTransaction[] = []): HttpFake {
  const byKey = new Map<string, FakeReply>();
  let n = 0;
  return new HttpFake((req): FakeReply => {
    if (req.headers.authorization !== 'Bearer sk_test_paios') {
      return { status: 401, json: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } } };
    }
    const key = req.headers['idempotency-key'] as string | undefined;
    if (key && byKey.has(key)) return byKey.get(key)!;
    const form = (req.body ?? {}) as Record<string, string>;
    let reply: FakeReply;
    if (req.method === 'POST' && req.path === '/v1/prices') {
      const price: Pick<Stripe.Price, 'id' | 'object' | 'currency' | 'unit_amount' | 'active' | 'livemode' | 'type'> = {
        id: `price_${++n}`,
        object: 'price',
        currency: form.currency!,
        unit_amount: Number(form.unit_amount),
        active: true,
        livemode: false,
        type: 'one_time',
      };
      reply = { json: { ...price, product: `prod_${n}`, product_name: form['product_data[name]'] } };
    } else if (req.method === 'GET' && req.path.startsWith('/v1/balance_transactions')) {
      const q = new URL(req.path, 'http://stripe.test').searchParams;
      const gte = Number(q.get('created[gte]') ?? 0);
      const lt = Number(q.get('created[lt]') ?? Number.MAX_SAFE_INTEGER);
      const page: Stripe.ApiList<FakeBalanceTransaction> = {
        object: 'list',
        data: balance.filter((t) => t.created >= gte && t.created < lt),
        has_more: false,
        url: '/v1/balance_transactions',
      };
      reply = { json: page };
    } else if (req.method === 'POST' && req.path === '/v1/payment_links') {
      const link: Pick<Stripe.PaymentLink, 'id' | 'object' | 'url' | 'active' | 'livemode' | 'metadata'> = {
        id: `plink_${++n}`,
        object: 'payment_link',
        url: `https://buy.stripe.test/pl_${n}`,
        active: true,
        livemode: false,
        metadata: {
          paios_invoice_id: form['metadata[paios_invoice_id]']!,
          invoice_number: form['metadata[invoice_number]']!,
        },
      };
      reply = { json: { ...link, line_items_price: form['line_items[0][price]'] } };
    } else {
      reply = {
        status: 404,
        json: {
          error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${req.path})` },
        },
      };
    }
    if (key) byKey.set(key, reply);
    return reply;
  });
}
