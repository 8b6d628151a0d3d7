import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InvoiceRepository } from '../../src/agents/invoicing/invoice.repository.js';
import { parseAmount, parseQuantity } from '../../src/orchestrator/ledger/money.js';
import { Calendar, FixedClock } from '../../src/common/clock.js';
import { ErrorCode } from '../../src/common/errors.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { openTestDatabase, postgresAvailable, type TestDatabase } from '../support/services.js';

const kinds: TestDatabase['kind'][] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];
const PATTERN = 'INV-{YYYY}-{0000}';

describe.each(kinds)('invoicing ledger on %s', (kind) => {
  let db: TestDatabase;
  let invoices: InvoiceRepository;
  let userId: string;
  let acme: { id: string };

  const hours = (h: string, rate: string) => ({
    description: 'Consulting',
    quantity: parseQuantity(h),
    unitPrice: parseAmount(rate, 'EUR'),
    taxRate: 2000,
  });

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    invoices = new InvoiceRepository(db.dataSource, new Calendar(new FixedClock('2026-03-02T09:00:00Z'), 'UTC'));
    userId = (await new UserRepository(db.dataSource).upsertByEmail(`ledger-${kind}@example.test`)).id;
    acme = await invoices.createClient(userId, {
      name: 'Acme GmbH',
      currency: 'EUR',
      email: 'billing@acme.test',
      paymentTermsDays: 14,
    });
  });
  afterAll(async () => db?.close());

  it('finds clients by name or unique prefix, and refuses a duplicate name', async () => {
    expect((await invoices.findClient(userId, 'acme gmbh'))?.id).toBe(acme.id);
    expect((await invoices.findClient(userId, 'Acme'))?.id).toBe(acme.id);
    expect(await invoices.findClient(userId, 'Globex')).toBeNull();
    await expect(invoices.createClient(userId, { name: 'ACME GmbH', currency: 'EUR' })).rejects.toMatchObject({
      code: ErrorCode.Conflict,
    });
    await expect(invoices.createClient(userId, { name: 'Bad', currency: 'EURO' })).rejects.toThrow(
      'not a currency code',
    );
  });

  it('stores exact totals, due dates from payment terms, and reads them back', async () => {
    const inv = await invoices.createInvoice(
      userId,
      { clientId: acme.id, issueDate: '2026-03-02', lines: [hours('10', '150'), hours('0.5', '99.99')] },
      PATTERN,
    );
    expect(inv).toMatchObject({ status: 'draft', currency: 'EUR', issueDate: '2026-03-02', dueDate: '2026-03-16' });
    // 10 x 150.00 = 1500.00; 0.5 x 99.99 = 49.995 -> 50.00; tax 20%: 300.00 + 10.00
    expect([inv.subtotal, inv.tax, inv.total]).toEqual([155000n, 31000n, 186000n]);
    expect(inv.lines.map((l) => l.net)).toEqual([150000n, 5000n]);
    expect(inv.number).toMatch(/^INV-2026-\d{4}$/);
    expect(await invoices.get(userId, inv.number.toLowerCase())).toEqual(inv);
  });

  it('numbers 20 concurrent invoices consecutively, with no gap and no duplicate', async () => {
    const made = await Promise.all(
      Array.from({ length: 20 }, () =>
        invoices.createInvoice(
          userId,
          { clientId: acme.id, issueDate: '2027-01-15', lines: [hours('1', '10')] },
          PATTERN,
        ),
      ),
    );
    expect(made.map((i) => i.number).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `INV-2027-${String(i + 1).padStart(4, '0')}`),
    );
  });

  it('creates one invoice per idempotency key, even when asked twice at once', async () => {
    const input = {
      clientId: acme.id,
      issueDate: '2028-05-01',
      lines: [hours('2', '100')],
      idempotencyKey: 'milestone:42',
    };
    const [a, b] = await Promise.all([
      invoices.createInvoice(userId, input, PATTERN),
      invoices.createInvoice(userId, input, PATTERN),
    ]);
    expect(a.id).toBe(b.id);
    const next = await invoices.createInvoice(userId, { ...input, idempotencyKey: undefined }, PATTERN);
    expect(next.number).toBe('INV-2028-0002'); // the refused duplicate left no gap
  });

  it('refuses bad invoices and changes nothing', async () => {
    const before = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM invoices WHERE user_id = $1`,
      [userId],
    );
    await expect(
      invoices.createInvoice(userId, { clientId: acme.id, currency: 'USD', lines: [hours('1', '1')] }, PATTERN),
    ).rejects.toThrow('Acme GmbH is billed in EUR, not USD');
    await expect(
      invoices.createInvoice(
        userId,
        { clientId: '7d1c1f4e-8f5a-4c1e-9a55-0f5e3c2b1a00', lines: [hours('1', '1')] },
        PATTERN,
      ),
    ).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(invoices.createInvoice(userId, { clientId: acme.id, lines: [] }, PATTERN)).rejects.toThrow(
      'at least one line',
    );
    await expect(
      invoices.createInvoice(
        userId,
        { clientId: acme.id, lines: [{ description: 'x', quantity: -1000n, unitPrice: 1n, taxRate: 0 }] },
        PATTERN,
      ),
    ).rejects.toThrow('quantity');
    const after = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM invoices WHERE user_id = $1`,
      [userId],
    );
    expect(after).toEqual(before);
  });
});
