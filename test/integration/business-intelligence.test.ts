import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { addCalendarDays, FixedClock } from '../../src/common/clock.js';
import { BusinessIntelligenceModule } from '../../src/agents/business-intelligence/business-intelligence.module.js';
import { InvoicingModule } from '../../src/agents/invoicing/invoicing.module.js';
import { ConversationService } from '../../src/orchestrator/conversation/conversation.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { WorkflowEngine } from '../../src/orchestrator/workflows/workflow.engine.js';
import { WorkflowsService } from '../../src/orchestrator/workflows/workflows.service.js';
import { AgentRepository } from '../../src/orchestrator/registry/agent.repository.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { stripeFake } from '../fakes/stripe.fake.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { postgresAvailable, type TestDatabase } from '../support/services.js';

import { waitFor } from '../support/wait.js';

/** Each database stands at an instant, with a clock injected, where the person's month is not UTC's. */
const cases: { kind: TestDatabase['kind']; at: string; tz: string; today: string }[] = [
  // 00:01 on June 1 in Tokyo: still May 31 in UTC.
  { kind: 'pglite', at: '2026-05-31T15:01:00Z', tz: 'Asia/Tokyo', today: '2026-06-01' },
  // 23:30 on April 30 in New York: already May 1 in UTC.
  ...((await postgresAvailable())
    ? [{ kind: 'postgres' as const, at: '2026-05-01T03:30:00Z', tz: 'America/New_York', today: '2026-04-30' }]
    : []),
];

describe.each(cases)(
  'agent #1 business intelligence and the milestone -> invoice workflow ($kind, $today in $tz)',
  ({ kind, at, tz, today }) => {
    const year = Number(today.slice(0, 4));
    const clock = new FixedClock(at);
    let o: OrchestratorApp;
    let userId: string;
    let say: (text: string) => Promise<{ reply: string; data: unknown; attachments?: unknown }>;

    let stripe: HttpFake;

    beforeAll(async () => {
      const now = Math.floor(clock.now().getTime() / 1000);
      const tx = (id: string, amount: number, fee: number, type: 'charge' | 'refund' | 'payout', created: number) => ({
        id,
        object: 'balance_transaction' as const,
        amount,
        fee,
        net: amount - fee,
        currency: 'eur',
        type,
        created,
        status: 'available',
        description: null,
      });
      stripe = await stripeFake([
        tx('txn_1', 10_000, 320, 'charge', now - 60),
        tx('txn_2', -2_000, 0, 'refund', now - 30),
        tx('txn_3', -5_000, 0, 'payout', now - 20), // money leaving to the bank is not revenue
        tx('txn_4', 99_999, 0, 'charge', now - 400 * 86_400), // long ago
      ]).start();
      o = await startOrchestrator(
        kind,
        { STRIPE_API_KEY: 'sk_test_paios', STRIPE_API_BASE: stripe.url, PAIOS_TIMEZONE: tz },
        [InvoicingModule, BusinessIntelligenceModule],
        clock,
      );
      userId = (await o.app.get(UserRepository).upsertByEmail('agency@example.test')).id;
      const conversation = o.app.get(ConversationService);
      say = async (text) => {
        const t = await conversation.handle({ userId, text });
        return { reply: t.reply, data: t.response?.data, attachments: t.response?.attachments };
      };
    });
    afterAll(async () => {
      await o?.close();
      await stripe?.stop();
    });

    const invoiceCount = async () =>
      (
        await o.app
          .get(DataSource)
          .query<{ n: number }[]>(`SELECT count(*)::int AS n FROM invoices WHERE user_id = $1`, [userId])
      )[0]!.n;

    it('bills a completed milestone once: one draft invoice, even with the event delivered twice', async () => {
      await say('add a client Acme');
      expect((await say('add a project Website for Acme')).reply).toBe('Started Website for Acme.');
      expect((await say('add milestone Design to Website at 2000')).reply).toBe(
        'Website: milestone Design, €2,000.00 on completion.',
      );
      expect((await say('mark milestone Design complete')).reply).toBe(
        'Design of Website is complete: €2,000.00 to bill Acme.',
      );
      await o.app.get(WorkflowEngine).settled();
      await waitFor(async () => (await invoiceCount()) === 1, 30_000);

      // The same event again (a redelivery) and the same request again (a retry) bill nothing more.
      const [run] = await o.app
        .get(DataSource)
        .query<{ event_key: string; event: { payload: Record<string, unknown> } }[]>(
          `SELECT event_key, event FROM workflow_runs WHERE user_id = $1`,
          [userId],
        );
      expect(
        await o.app.get(WorkflowEngine).onEvent(userId, 1, 'milestone.completed', run!.event.payload, run!.event_key),
      ).toBe(0);
      expect((await say('mark milestone Design complete')).reply).toBe(
        'Sorry: Design of Website was already complete.',
      );
      await new Promise((r) => setTimeout(r, 800));
      expect(await invoiceCount()).toBe(1);

      const listed = await say('show my invoices');
      expect(listed.reply).toMatch(/^INV-\d{4}-0001 · Acme · €2,000\.00 · draft/);
      expect((listed.data as { lines: { description: string }[] }[])[0]!.lines[0]!.description).toBe('Website: Design');
    });

    it('fires the README\'s workflow: {amount: {gte: 100}} against a milestone of "500.00", not one of 50', async () => {
      const users = o.app.get(UserRepository);
      const owner = (await users.upsertByEmail('readme@example.test')).id;
      const conversation = o.app.get(ConversationService);
      const as = async (text: string) => (await conversation.handle({ userId: owner, text })).reply;
      const agents = o.app.get(AgentRepository);
      const bi = await agents.ensureForUser(owner, 1, 'business-intelligence', '');
      const inv = await agents.ensureForUser(owner, 15, 'invoicing', '');
      // The README's example, word for word in its trigger, with the parameters create_invoice needs.
      await o.app.get(WorkflowsService).create(owner, {
        sourceAgentId: bi.id,
        targetAgentId: inv.id,
        triggerConditions: { event: 'milestone.completed', when: { amount: { gte: 100 } } },
        actions: {
          tool: 'create_invoice',
          parameters: { client: '{{payload.client}}', quantity: 1, rate: '{{payload.amount}}' },
        },
      });
      const invoices = async () =>
        (
          await o.app
            .get(DataSource)
            .query<{ total: string }[]>(`SELECT total_minor::text AS total FROM invoices WHERE user_id = $1`, [owner])
        ).map((r) => r.total);
      await as('add a client Initech');
      await as('add a project Portal for Initech');
      await as('add milestone Small to Portal at 50');
      await as('add milestone Big to Portal at 500');
      expect(await as('mark milestone Small complete')).toContain('€50.00');
      expect(await as('mark milestone Big complete')).toContain('€500.00');
      await o.app.get(WorkflowEngine).settled();
      await waitFor(async () => (await invoices()).length === 1, 30_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(await invoices()).toEqual(['50000']);
    });

    it('reports revenue and receivables that match a ledger summed by hand', async () => {
      await say('add a client Globex billed in USD');
      // Invoiced this month: EUR 2000.00 (milestone) + 1500.00 + 99.99 x 3 = 299.97 -> EUR 3799.97; USD 10 x 120 = 1200.00.
      await say('invoice Acme for 10 hours at 150');
      await say('invoice Acme for 3 hours at 99.99');
      await say('invoice Globex for 10 hours at 120');
      await say(`record a payment of 500 on INV-${year}-0002`); // received EUR 500.00, owed on it 1000.00
      await say(`void INV-${year}-0003`); // 299.97 leaves the figures
      const r = await say('what did we make this month');
      expect(r.data).toMatchObject({
        invoiced: { EUR: '3500.00', USD: '1200.00' },
        collected: { EUR: '500.00' },
        outstanding: { EUR: '1000.00' },
        byClient: [
          { client: 'Acme', currency: 'EUR', invoiced: '3500.00' },
          { client: 'Globex', currency: 'USD', invoiced: '1200.00' },
        ],
      });
      expect(r.reply).toContain('invoiced €3,500.00 + $1,200.00, received €500.00');
      // Stripe's own balance for the month, beside the ledger: the charge and the refund, not the payout.
      expect((r.data as { stripe: unknown }).stripe).toEqual({
        EUR: { gross: '80.00', fee: '3.20', net: '76.80', transactions: 2 },
      });
      expect(r.reply).toContain('Through Stripe: €80.00 gross, €3.20 fees, €76.80 net.');
    });

    it('writes a daily digest: yesterday, what is overdue, milestones due this week', async () => {
      const ds = o.app.get(DataSource);
      await say('add milestone Launch to Website at 5000');
      await ds.query(`UPDATE milestones SET due_date = $1 WHERE name = 'Launch'`, [addCalendarDays(today, 3)]);
      // INV-0002 (part paid, 1000.00 owed) fell due 5 days ago; its 500.00 payment is dated yesterday.
      await ds.query(`UPDATE invoices SET due_date = $2 WHERE number = $1`, [
        `INV-${year}-0002`,
        addCalendarDays(today, -5),
      ]);
      await ds.query(`UPDATE payments SET paid_on = $1`, [addCalendarDays(today, -1)]);
      const digest = await say('daily digest');
      expect(digest.data).toMatchObject({
        date: today,
        yesterday: { collected: { EUR: '500.00' } },
        overdue: [{ number: `INV-${year}-0002`, client: 'Acme', owed: '1000.00' }],
        milestonesDue: [{ name: 'Launch', project: 'Website', client: 'Acme' }],
      });
      expect(digest.reply).toContain(`Overdue: €1,000.00 — INV-${year}-0002 Acme €1,000.00`);
      expect(digest.reply).toContain('Milestones due within a week: Launch (Website, Acme)');
    });

    it('draws monthly revenue as a PNG chart across months', async () => {
      const month = (back: number) =>
        new Date(Date.UTC(year, Number(today.slice(5, 7)) - 1 - back, 1)).toISOString().slice(0, 7);
      const ds = o.app.get(DataSource);
      const made = await say('invoice Acme for 1 hour at 100');
      const number = (made.data as { number: string }).number;
      // Moved two months back: it counts for that month, not this one.
      await ds.query(`UPDATE invoices SET issue_date = $2 WHERE number = $1`, [number, `${month(2)}-15`]);
      const chart = await say('chart my revenue');
      expect(chart.data).toEqual([
        { month: month(2), currency: 'EUR', invoiced: '100.00' },
        { month: month(0), currency: 'EUR', invoiced: '3500.00' },
        { month: month(0), currency: 'USD', invoiced: '1200.00' },
      ]);
      const png = Buffer.from((chart.attachments as { data: string }[])[0]!.data, 'base64');
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBeGreaterThan(1000); // width in pixels (IHDR), drawn at 2x
      expect((await say('how much revenue this month')).data).toMatchObject({
        invoiced: { EUR: '3500.00', USD: '1200.00' },
      });
    });
  },
);
