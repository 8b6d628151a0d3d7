import { z } from 'zod';
import type { Calendar } from '../../../common/clock.js';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { ToolError } from '../../../sdk/tool-error.js';
import { formatMoney, toDecimalText } from '../../../sdk/money.js';
import { exactAmounts, showAmounts } from '../amounts.js';
import type { LedgerRepository } from '../../../orchestrator/ledger/ledger.repository.js';
import { namedPeriod, previousPeriod, type Period } from '../period.js';
import { lastMonths, renderRevenueChart } from '../revenue-chart.js';
import type { StripeAccounts } from '../../../orchestrator/ledger/stripe-accounts.js';
import { BUSINESS_EXAMPLES } from './business.examples.js';

export function revenueTools(ledger: LedgerRepository, services: StripeAccounts, calendar: Calendar): ToolDefinition[] {
  return [
    defineTool({
      name: 'revenue',
      description: 'Revenue, money received and money owed for a period',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({
        period: z.string().optional(),
        from: z.iso.date().optional(),
        to: z.iso.date().optional(),
      }),
      examples: BUSINESS_EXAMPLES.revenue,
      extract: (text, entities) => {
        const range = entities.find((e) => e.type === 'daterange');
        if (range?.type === 'daterange' && !namedPeriod(text, calendar.today()))
          return { from: range.from, to: range.to };
        return { period: namedPeriod(text, calendar.today())?.label };
      },
      handler: async (p, ctx) => {
        let period: Period;
        if (p.from && p.to) {
          if (p.to <= p.from) throw new ToolError('the end of the period must come after its start');
          period = { from: p.from, to: p.to, label: `${p.from} to ${p.to}` };
        } else {
          const today = calendar.today();
          period = namedPeriod(p.period ?? 'this month', today) ?? namedPeriod('this month', today)!;
        }
        const now = await ledger.revenue(ctx.userId, period.from, period.to);
        const before = previousPeriod(period);
        const prev = await ledger.revenue(ctx.userId, before.from, before.to);
        const change = Object.entries(now.invoiced).map(([c, v]) => {
          const d = v - (prev.invoiced[c] ?? 0n);
          return `${d >= 0n ? '+' : '-'}${formatMoney(d >= 0n ? d : -d, c)}`;
        });
        const stripe = await services.stripe(ctx.userId).catch(() => undefined);
        const viaStripe = stripe ? await stripe.balance(period.from, period.to, calendar.timeZone) : undefined;
        const top = now.byClient.map((r) => `${r.client} ${formatMoney(r.invoiced, r.currency)}`).join(', ');
        const text = [
          `${period.label[0]!.toUpperCase()}${period.label.slice(1)}: invoiced ${showAmounts(now.invoiced)}, received ${showAmounts(now.collected)}.`,
          `Owed to you: ${showAmounts(now.outstanding)} (overdue ${showAmounts(now.overdue)}).`,
          top ? `Top clients: ${top}.` : '',
          change.length ? `Compared with the period before: ${change.join(', ')}.` : '',
          viaStripe && Object.keys(viaStripe).length
            ? `Through Stripe: ${Object.entries(viaStripe)
                .map(
                  ([c, v]) =>
                    `${formatMoney(v.gross, c)} gross, ${formatMoney(v.fee, c)} fees, ${formatMoney(v.net, c)} net`,
                )
                .join('; ')}.`
            : '',
        ]
          .filter(Boolean)
          .join('\n');
        return {
          text,
          data: {
            from: period.from,
            to: period.to,
            invoiced: exactAmounts(now.invoiced),
            collected: exactAmounts(now.collected),
            outstanding: exactAmounts(now.outstanding),
            overdue: exactAmounts(now.overdue),
            previousInvoiced: exactAmounts(prev.invoiced),
            stripe: viaStripe
              ? Object.fromEntries(
                  Object.entries(viaStripe).map(([c, v]) => [
                    c,
                    {
                      gross: toDecimalText(v.gross, c),
                      fee: toDecimalText(v.fee, c),
                      net: toDecimalText(v.net, c),
                      transactions: v.count,
                    },
                  ]),
                )
              : null,
            byClient: now.byClient.map((r) => ({
              client: r.client,
              currency: r.currency,
              invoiced: toDecimalText(r.invoiced, r.currency),
            })),
          },
        };
      },
    }),
    defineTool({
      name: 'revenue_chart',
      description: 'A chart of monthly revenue',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({ months: z.number().int().min(2).max(36).default(6) }),
      examples: BUSINESS_EXAMPLES.revenue_chart,
      extract: (text) => {
        const n = /(\d{1,2})\s+months/i.exec(text)?.[1];
        return n ? { months: Number(n) } : {};
      },
      handler: async ({ months }, ctx) => {
        const axis = lastMonths(months, calendar.today());
        const rows = await ledger.monthly(ctx.userId, `${axis[0]}-01`);
        const points = rows.map((r) => ({
          month: r.month,
          currency: r.currency,
          amount: Number(toDecimalText(r.total, r.currency)),
        }));
        const png = await renderRevenueChart(points, axis, `Invoiced per month, ${axis[0]} to ${axis.at(-1)}`);
        return {
          text: rows.length
            ? `Monthly revenue, ${axis[0]} to ${axis.at(-1)}.`
            : `No revenue between ${axis[0]} and ${axis.at(-1)} yet.`,
          data: rows.map((r) => ({
            month: r.month,
            currency: r.currency,
            invoiced: toDecimalText(r.total, r.currency),
          })),
          attachments: [
            { filename: `revenue-${axis[0]}-${axis.at(-1)}.png`, mimeType: 'image/png', data: png.toString('base64') },
          ],
        };
      },
    }),
  ];
}
