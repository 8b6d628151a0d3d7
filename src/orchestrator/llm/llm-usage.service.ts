import { Injectable } from '@nestjs/common';
import type { LlmBudgetLimits } from '../../config/config.schema.js';
import { AgentRegistry } from '../registry/agent-registry.js';
import { formatUsd, LlmBudgetService } from './llm-budget.service.js';
import { LlmUsageRepository, type UsageTotals } from './llm-usage.repository.js';

/** One person's model use: today, this month, their limits, and this month by agent. */
export interface UsageReport {
  timeZone: string;
  day: string;
  month: string;
  today: UsageTotals;
  thisMonth: UsageTotals;
  /** The person's limits; 0: none. */
  limits: LlmBudgetLimits;
  /** This month by agent; `agentNumber` null is the router choosing tools. */
  agents: { agentNumber: number | null; agentName: string; today: UsageTotals; thisMonth: UsageTotals }[];
}

const ZERO: UsageTotals = { calls: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0 };

/** What GET /api/llm/usage and "how much AI did I use this month" answer. */
@Injectable()
export class LlmUsageService {
  constructor(
    private readonly usage: LlmUsageRepository,
    private readonly budget: LlmBudgetService,
    private readonly registry: AgentRegistry,
  ) {}

  async report(userId: string): Promise<UsageReport> {
    const p = this.budget.periods();
    const [totals, month, today] = await Promise.all([
      this.usage.periodTotals({ userId }, p.dayStart, p.monthStart),
      this.usage.byAgent(userId, p.monthStart),
      this.usage.byAgent(userId, p.dayStart),
    ]);
    return {
      timeZone: p.timeZone,
      day: p.day,
      month: p.month,
      today: totals.day,
      thisMonth: totals.month,
      limits: this.budget.limits({ userId }),
      agents: month.map((m) => ({
        agentNumber: m.agentNumber,
        agentName:
          m.agentNumber === null ? 'router' : (this.registry.get(m.agentNumber)?.name ?? `agent-${m.agentNumber}`),
        today: today.find((t) => t.agentNumber === m.agentNumber)?.totals ?? ZERO,
        thisMonth: m.totals,
      })),
    };
  }

  /** The report as a chat answer. */
  async describe(userId: string): Promise<string> {
    const r = await this.report(userId);
    const tokens = (n: number) => `${n.toLocaleString('en-US')} tokens`;
    const of = (used: string, limit: number, shown: (n: number) => string) =>
      limit > 0 ? `${used} of ${shown(limit)}` : used;
    const lines = [
      `AI use this month (${r.month}): ${of(tokens(r.thisMonth.totalTokens), r.limits.monthlyTokens, tokens)}, ` +
        `${of(formatUsd(r.thisMonth.costUsd), r.limits.monthlyUsd, formatUsd)} in ${r.thisMonth.calls} calls.`,
      `Today: ${of(tokens(r.today.totalTokens), r.limits.dailyTokens, tokens)}, ` +
        `${of(formatUsd(r.today.costUsd), r.limits.dailyUsd, formatUsd)}.`,
    ];
    if (r.agents.length > 0) {
      lines.push('By agent this month:');
      for (const a of r.agents)
        lines.push(
          `- ${a.agentNumber === null ? 'routing your messages' : `#${a.agentNumber} ${a.agentName}`}: ` +
            `${tokens(a.thisMonth.totalTokens)}, ${formatUsd(a.thisMonth.costUsd)}`,
        );
    } else lines.push('Nothing this month needed an AI model: everything was placed locally.');
    return lines.join('\n');
  }
}
