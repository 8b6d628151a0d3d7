import { z } from 'zod';
import { addCalendarDays, type Calendar } from '../../../common/clock.js';
import { defineTool, type ToolContext, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { formatMoney, toDecimalText } from '../../../sdk/money.js';
import { exactAmounts, showAmounts } from '../amounts.js';
import type { LedgerRepository } from '../../../orchestrator/ledger/ledger.repository.js';
import type { ProjectRepository } from '../project.repository.js';
import { BUSINESS_EXAMPLES } from './business.examples.js';

/** The morning summary the chat adapters post: yesterday's money, what is overdue, what is due soon. */
export function digestTools(
  ledger: LedgerRepository,
  projects: ProjectRepository,
  calendar: Calendar,
): ToolDefinition[] {
  return [
    defineTool({
      name: 'daily_digest',
      description: "Today's digest: yesterday's revenue, overdue invoices, milestones due",
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({}),
      examples: BUSINESS_EXAMPLES.daily_digest,
      handler: async (_p, ctx) => {
        const today = calendar.today();
        const y = await ledger.revenue(ctx.userId, addCalendarDays(today, -1), today);
        const overdue = await ledger.overdueInvoices(ctx.userId, 5);
        const totalOverdue = y.overdue;
        const due = await projects.milestonesDue(ctx.userId, 7);
        const social = await socialLine(ctx);
        const watched = await watchedPagesLine(ctx);
        const lines = [
          `Digest for ${today}`,
          `Yesterday: invoiced ${showAmounts(y.invoiced)}, received ${showAmounts(y.collected)}.`,
          overdue.length
            ? `Overdue: ${showAmounts(totalOverdue)} — ${overdue.map((i) => `${i.number} ${i.client} ${formatMoney(i.owed, i.currency)} (due ${i.dueDate})`).join('; ')}.`
            : 'Nothing is overdue.',
          due.length
            ? `Milestones due within a week: ${due.map((m) => `${m.name} (${m.project}, ${m.client}) ${m.dueDate}`).join('; ')}.`
            : 'No milestones due this week.',
          ...(social ? [social.text] : []),
          ...(watched ? [watched.text] : []),
        ];
        return {
          text: lines.join('\n'),
          data: {
            date: today,
            yesterday: {
              invoiced: exactAmounts(y.invoiced),
              collected: exactAmounts(y.collected),
            },
            overdue: overdue.map((i) => ({ ...i, owed: toDecimalText(i.owed, i.currency) })),
            milestonesDue: due,
            ...(social ? { social: social.data } : {}),
            ...(watched ? { watchedPages: watched.data } : {}),
          },
        };
      },
    }),
  ];
}

/**
 * Yesterday on social media, from #8 (likes, reposts, replies of recent posts), when #8 runs and
 * anything was posted; a digest never fails for it.
 */
async function socialLine(ctx: ToolContext): Promise<{ text: string; data: unknown } | undefined> {
  try {
    const res = await ctx.callAgent(8, 'social_metrics', { days: 1 });
    const posts = (res.data as { posts?: number } | undefined)?.posts ?? 0;
    return res.success && posts > 0 && res.text ? { text: res.text, data: res.data } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Watched pages: https://… (- €10 / + €12)." from #7, when a watched page changed in the last day;
 * nothing when none did, and a digest never fails for it.
 */
async function watchedPagesLine(ctx: ToolContext): Promise<{ text: string; data: unknown } | undefined> {
  try {
    const res = await ctx.callAgent(7, 'recent_changes', { days: 1 });
    const changes = (res.data as { changes?: { url: string; selector?: string | null; summary: string }[] } | undefined)
      ?.changes;
    if (!res.success || !changes?.length) return undefined;
    const pages = changes.map((c) => `${c.selector ? `${c.selector} on ` : ''}${c.url} (${c.summary})`);
    return { text: `Watched pages: ${pages.join('; ')}.`, data: changes };
  } catch {
    return undefined;
  }
}
