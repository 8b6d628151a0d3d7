import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { PDFParse } from 'pdf-parse';
import type { Attachment } from '../../src/sdk/agent.contract.js';
import { addCalendarDays, FixedClock } from '../../src/common/clock.js';
import { DataSource } from 'typeorm';
import { InvoiceRepository } from '../../src/agents/invoicing/invoice.repository.js';
import { InvoicingAgent } from '../../src/agents/invoicing/invoicing.agent.js';
import { InvoicingModule } from '../../src/agents/invoicing/invoicing.module.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { SmtpFake } from '../fakes/smtp.fake.js';
import { stripeFake } from '../fakes/stripe.fake.js';
import { ConversationService } from '../../src/orchestrator/conversation/conversation.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { VaultService } from '../../src/vault/vault.service.js';
import { AgentRegistry } from '../../src/orchestrator/registry/agent-registry.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { postgresAvailable, type TestDatabase } from '../support/services.js';

/**
 * Each database runs the suite standing at an awkward instant, with a clock injected: the person's
 * calendar date differs from the UTC date there, so anything that counts days in UTC (or with the
 * database's CURRENT_DATE) fails.
 */
const cases: { kind: TestDatabase['kind']; at: string; tz: string; today: string }[] = [
  // 23:59 on the last day of February in Los Angeles: already March 1 in UTC.
  { kind: 'pglite', at: '2026-03-01T07:59:00Z', tz: 'America/Los_Angeles', today: '2026-02-28' },
  // 00:01 on the night Berlin moves to summer time: still March 28 in UTC.
  ...((await postgresAvailable())
    ? [{ kind: 'postgres' as const, at: '2026-03-28T23:01:00Z', tz: 'Europe/Berlin', today: '2026-03-29' }]
    : []),
];

describe.each(cases)(
  'agent #15 invoicing, from what a person says ($kind, $today in $tz)',
  ({ kind, at, tz, today }) => {
    const year = Number(today.slice(0, 4));
    let o: OrchestratorApp;
    let say: (
      text: string,
    ) => Promise<{ reply: string; data: unknown; tool: string | null; ok: boolean; attachments: Attachment[] }>;

    let smtp: SmtpFake;
    let stripe: HttpFake;

    beforeAll(async () => {
      smtp = await new SmtpFake().start();
      stripe = await stripeFake().start();
      o = await startOrchestrator(
        kind,
        {
          SMTP_URL: smtp.url,
          SMTP_FROM: 'Me <me@studio.test>',
          STRIPE_API_KEY: 'sk_test_paios',
          STRIPE_API_BASE: stripe.url,
          PAIOS_TIMEZONE: tz,
        },
        [InvoicingModule],
        new FixedClock(at),
      );
      const userId = (await o.app.get(UserRepository).upsertByEmail('freelancer@example.test')).id;
      const conversation = o.app.get(ConversationService);
      say = async (text) => {
        const turn = await conversation.handle({ userId, text });
        return {
          reply: turn.reply,
          data: turn.response?.data,
          tool: turn.decision.tool,
          ok: turn.response?.success ?? false,
          attachments: turn.response?.attachments ?? [],
        };
      };
    });
    afterAll(async () => {
      await o?.close();
      await smtp?.stop();
      await stripe?.stop();
    });

    it('adds a client and invoices "10 hours at 150" exactly', async () => {
      expect((await say('add a client Acme GmbH billed in EUR')).reply).toBe(
        'Added Acme GmbH (billed in EUR, 30 days to pay).',
      );
      const made = await say('invoice Acme for 10 hours at 150');
      expect(made.tool).toBe('create_invoice');
      expect(made.reply).toMatch(
        /^Created INV-\d{4}-0001 for Acme GmbH: €1,500\.00 \(draft\), due \d{4}-\d{2}-\d{2}\.$/,
      );
      expect(made.data).toMatchObject({
        issueDate: today, // the person's date, not UTC's
        dueDate: addCalendarDays(today, 30),
        subtotal: '1500.00',
        tax: '0.00',
        total: '1500.00',
        lines: [{ quantity: '10', unitPrice: '150.00' }],
      });

      // A real PDF: parsed back, it shows the number, the client, the line and the total.
      expect(made.attachments).toHaveLength(1);
      expect(made.attachments[0]).toMatchObject({
        mimeType: 'application/pdf',
        filename: expect.stringMatching(/^INV-\d{4}-0001\.pdf$/),
      });
      const pdf = Buffer.from(made.attachments[0]!.data, 'base64');
      const { text } = await new PDFParse({ data: pdf }).getText();
      expect(text).toContain((made.data as { number: string }).number);
      expect(text).toContain('Acme GmbH');
      expect(text).toMatch(/Consulting hours\s+10\s+€150\.00\s+0%\s+€1,500\.00/);
      expect(text).toMatch(/Total\s+€1,500\.00/);
      expect(readFileSync((made.data as { pdfPath: string }).pdfPath)).toEqual(pdf);
    });

    it("lets voice notes hear the person's clients by name (the registry's vocabulary)", async () => {
      const userId = (await o.app.get(UserRepository).upsertByEmail('freelancer@example.test')).id;
      const before = await o.app.get(AgentRegistry).vocabulary(userId);
      expect(before).toContain('invoicing');
      expect(before).not.toContain('Northwind Traders');
      await say('add a client Northwind Traders');
      expect(await o.app.get(AgentRegistry).vocabulary(userId)).toContain('Northwind Traders');
    });

    it('records a part payment, then the rest, and refuses to pay it again', async () => {
      const n = `INV-${year}-0001`;
      expect((await say(`record a payment of 500 on ${n}`)).reply).toBe(
        `Recorded €500.00 on ${n}; €1,000.00 still owed.`,
      );
      expect((await say(`mark ${n} paid`)).reply).toBe(`${n} is paid in full (€1,500.00).`);
      const again = await say(`mark ${n} paid`);
      expect(again).toMatchObject({ ok: false, reply: `Sorry: ${n} is already paid` });
    });

    it('answers bad requests clearly and changes nothing', async () => {
      expect((await say('invoice Globex 5 hours at 90')).reply).toBe(
        'Sorry: I don\'t know a client called Globex. Add it first: "add a client Globex".',
      );
      expect((await say('invoice Acme for 2 hours at 99.999')).reply).toBe(
        'Sorry: amount "99.999" has more than 2 decimal places',
      );
      expect((await say('invoice Acme for 2 hours at 100 USD')).reply).toBe(
        'Sorry: Acme GmbH is billed in EUR, not USD',
      );
      expect((await say('invoice Acme for -2 hours at 100')).reply).toBe('Sorry: quantity cannot be negative');
      expect((await say(`void INV-${year}-0001`)).reply).toBe(
        `Sorry: INV-${year}-0001 has payments; it cannot be voided`,
      );
      const made = await say('invoice Acme for 1 hour at 10');
      const number = (made.data as { number: string }).number;
      expect(number).toBe(`INV-${year}-0002`); // refused requests used no number
      expect((await say(`void ${number}`)).reply).toBe(`${number} is void; its number stays used.`);
      expect((await say(`mark ${number} paid`)).reply).toBe(`Sorry: ${number} is void; it cannot be paid`);
    });

    it('lists invoices by state', async () => {
      const listed = await say('show my invoices');
      expect(listed.tool).toBe('list_invoices');
      expect(listed.reply.split('\n')).toHaveLength(2);
      expect((await say('which invoices are overdue')).reply).toBe('No overdue invoices.');
    });

    it('emails an invoice with its PDF to the client, and marks it sent', async () => {
      await say('add client Initech with email ap@initech.test');
      const made = await say('invoice Initech for 4 hours at 75');
      const number = (made.data as { number: string }).number;
      const sent = await say(`send ${number}`);
      expect(sent.reply).toBe(`Sent ${number} to ap@initech.test. Pay online: https://buy.stripe.test/pl_2`);
      expect(sent.data).toMatchObject({
        status: 'sent',
        emailedTo: 'ap@initech.test',
        paymentLink: 'https://buy.stripe.test/pl_2',
      });
      // Stripe was asked for a one-off price of exactly what is due, then a link to it.
      const [price, link] = stripe.requests.slice(-2);
      expect(price).toMatchObject({
        path: '/v1/prices',
        body: { currency: 'eur', unit_amount: '30000', 'product_data[name]': `Invoice ${number}` },
      });
      expect(link).toMatchObject({
        path: '/v1/payment_links',
        body: { 'line_items[0][price]': 'price_1', 'metadata[invoice_number]': number },
      });
      expect(price!.headers['idempotency-key']).toEqual(expect.stringContaining(':30000:price'));
      // Sending again reuses the stored link.
      await say(`send ${number}`);
      expect(stripe.requests).toHaveLength(2);
      const mail = smtp.messages.at(-1)!;
      expect(mail.subject).toBe(`Invoice ${number} from us`);
      expect(mail.from?.text).toContain('me@studio.test');
      expect(mail.text).toContain('€300.00');
      expect(mail.text).toContain('Pay online: https://buy.stripe.test/pl_2');
      expect(mail.attachments).toHaveLength(1);
      expect(mail.attachments[0]).toMatchObject({ filename: `${number}.pdf`, contentType: 'application/pdf' });
      const { text } = await new PDFParse({ data: mail.attachments[0]!.content }).getText();
      expect(text).toContain(number);

      const before = smtp.messages.length;
      expect((await say(`send INV-${year}-0001`)).reply).toBe(
        `Sorry: Acme GmbH has no email address to send INV-${year}-0001 to`,
      );
      expect(smtp.messages.length).toBe(before);
    });

    it('chases overdue invoices by email once a week, and marks them overdue', async () => {
      const ds = o.app.get(DataSource);
      const agent = o.app.get(InvoicingAgent);
      // Due yesterday is not "10 days"; due ten of the person's days ago is, whatever the hour.
      await ds.query(`UPDATE invoices SET due_date = $1 WHERE status <> 'void'`, [today]);
      expect(await o.app.get(InvoiceRepository).markOverdue()).toBe(0); // due today: not overdue yet
      await ds.query(`UPDATE invoices SET due_date = $1 WHERE status <> 'void'`, [addCalendarDays(today, -10)]);
      expect(await o.app.get(InvoiceRepository).markOverdue()).toBeGreaterThanOrEqual(1);

      const before = smtp.messages.length;
      expect(await agent.sendReminders()).toBe(1); // only Initech has an email address
      const reminder = smtp.messages.at(-1)!;
      expect(reminder.subject).toMatch(/^Reminder: invoice INV-\d{4}-\d{4} is overdue$/);
      expect(reminder.text).toContain('10 days ago');
      expect(reminder.text).toContain('Pay online: https://buy.stripe.test/pl_2');
      expect(await agent.sendReminders()).toBe(0); // not again within the week
      expect(smtp.messages.length).toBe(before + 1);
      expect((await say('which invoices are overdue')).reply).toMatch(/overdue, due/);
    });
  },
);

describe('agents #15 and #1 use SMTP and Stripe credentials from the vault when granted', () => {
  let o: OrchestratorApp;
  let smtp: SmtpFake;
  let stripe: HttpFake;
  let userId: string;
  let say: (text: string) => Promise<string>;
  const MASTER = 'vault master for invoicing';

  beforeAll(async () => {
    smtp = await new SmtpFake().start();
    stripe = await stripeFake().start();
    // The server has no SMTP_URL and no STRIPE_API_KEY: only the person's vault does. Its mail
    // server is a fake on this machine, which the owner allows (a user-chosen host otherwise).
    o = await startOrchestrator(
      'pglite',
      {
        STRIPE_API_BASE: stripe.url,
        PAIOS_ALLOW_HOSTS: '127.0.0.1',
        VAULT_ARGON2_MEMORY_KIB: '19456',
        VAULT_ARGON2_ITERATIONS: '2',
        VAULT_ARGON2_PARALLELISM: '1',
      },
      [InvoicingModule, VaultModule],
    );
    userId = (await o.app.get(UserRepository).upsertByEmail('vaulted@example.test')).id;
    const conversation = o.app.get(ConversationService);
    say = async (text) => (await conversation.handle({ userId, text })).reply;
  });
  afterAll(async () => {
    await o?.close();
    await smtp?.stop();
    await stripe?.stop();
  });

  it('sends with the granted vault secrets only, and says so when the vault is locked', async () => {
    const vault = o.app.get(VaultService);
    await say('add client Hooli with email ap@hooli.test');
    const first = /INV-\d{4}-\d{4}/.exec(await say('invoice Hooli for 2 hours at 100'))![0];
    expect(await say(`send ${first}`)).toContain('email is not set up');

    await vault.unlock(userId, MASTER);
    await vault.store(userId, 'smtp', { url: smtp.url, from: 'Vaulted <me@vaulted.test>' });
    await vault.store(userId, 'stripe', { apiKey: 'sk_test_paios' });
    // Stored but not granted: #15 cannot read them.
    expect(await say(`send ${first}`)).toContain('email is not set up');

    await vault.grant(userId, 15, 'smtp');
    await vault.grant(userId, 15, 'stripe');
    const before = smtp.messages.length;
    expect(await say(`send ${first}`)).toMatch(
      new RegExp(`^Sent ${first} to ap@hooli.test\\. Pay online: https://buy\\.stripe\\.test/`),
    );
    expect(smtp.messages.length).toBe(before + 1);
    expect(smtp.messages.at(-1)!.from?.text).toContain('me@vaulted.test');
    const audit = await o.db.dataSource.query<{ actor: string; service_name: string }[]>(
      `SELECT actor, service_name FROM vault_audit WHERE user_id = $1 AND action = 'read' AND outcome = 'ok'`,
      [userId],
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { actor: 'agent#15', service_name: 'smtp' },
        { actor: 'agent#15', service_name: 'stripe' },
      ]),
    );

    await vault.lock(userId);
    const second = /INV-\d{4}-\d{4}/.exec(await say('invoice Hooli for 1 hour at 100'))![0];
    expect(await say(`send ${second}`)).toContain('which is locked: unlock it');
    expect(smtp.messages.length).toBe(before + 1);
  });
});
