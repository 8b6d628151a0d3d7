import { Inject, Injectable } from '@nestjs/common';
import { addCalendarDays, Calendar, startOfDay } from '../../common/clock.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { LlmBudgetLimits, PaiosConfig } from '../../config/config.schema.js';
import { KeyValueStore } from '../kv/key-value-store.port.js';
import { AgentRegistry } from '../registry/agent-registry.js';
import type { LlmCallContext } from './language-model.port.js';
import { LlmError, LlmErrorCode } from './llm.errors.js';
import { LlmUsageRepository, type UsageScope, type UsageTotals } from './llm-usage.repository.js';

/** Where a warning is given: at 80% of any limit, once per limit and period. */
export const WARN_AT = 0.8;

/** The periods a budget counts in, in the owner's time zone (PAIOS_TIMEZONE). */
export interface BudgetPeriods {
  timeZone: string;
  /** YYYY-MM-DD and YYYY-MM. */
  day: string;
  month: string;
  dayStart: Date;
  monthStart: Date;
  /** When each renews (YYYY-MM-DD). */
  nextDay: string;
  nextMonth: string;
}

interface Spent {
  scope: UsageScope;
  who: string;
  limits: LlmBudgetLimits;
  day: UsageTotals;
  month: UsageTotals;
}

interface Measure {
  period: 'day' | 'month';
  unit: 'tokens' | 'usd';
  used: number;
  limit: number;
}

/**
 * Budgets of model use: per person and per agent, tokens and dollars, per day and per month. The
 * defaults come from LLM_DAILY_TOKENS, LLM_MONTHLY_TOKENS, LLM_DAILY_USD and LLM_MONTHLY_USD; an agent's
 * own configuration may set `llm: { dailyLimit, monthlyLimit, dailyUsd, monthlyUsd }` (limits in
 * tokens; 0: none). A used-up budget refuses the call before it is made.
 */
@Injectable()
export class LlmBudgetService {
  constructor(
    private readonly usage: LlmUsageRepository,
    private readonly calendar: Calendar,
    private readonly kv: KeyValueStore,
    private readonly registry: AgentRegistry,
    @Inject(PAIOS_CONFIG) private readonly config: Pick<PaiosConfig, 'llm'>,
  ) {}

  periods(): BudgetPeriods {
    const tz = this.calendar.timeZone;
    const day = this.calendar.today();
    const month = day.slice(0, 7);
    const nextDay = addCalendarDays(day, 1);
    const [y, m] = month.split('-').map(Number) as [number, number];
    const nextMonth = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    return {
      timeZone: tz,
      day,
      month,
      dayStart: startOfDay(day, tz),
      monthStart: startOfDay(`${month}-01`, tz),
      nextDay,
      nextMonth,
    };
  }

  /** The limits of a person (the defaults) or of an agent (its own configuration over them). */
  limits(scope: UsageScope): LlmBudgetLimits {
    const defaults = this.config.llm.budget;
    if ('userId' in scope) return defaults;
    const own = this.registry.get(scope.agentNumber)?.config.llm;
    const pick = (key: string, fallback: number) => {
      const v = own && typeof own === 'object' ? (own as Record<string, unknown>)[key] : undefined;
      return typeof v === 'number' && v >= 0 ? v : fallback;
    };
    return {
      dailyTokens: pick('dailyLimit', defaults.dailyTokens),
      monthlyTokens: pick('monthlyLimit', defaults.monthlyTokens),
      dailyUsd: pick('dailyUsd', defaults.dailyUsd),
      monthlyUsd: pick('monthlyUsd', defaults.monthlyUsd),
    };
  }

  /** Refuses (LlmError BudgetExhausted) when a budget of the call's person or agent is used up. */
  async assertAvailable(ctx: Pick<LlmCallContext, 'userId' | 'agentNumber'>): Promise<void> {
    const periods = this.periods();
    for (const spent of await this.spent(ctx, periods)) {
      const over = measures(spent).find((m) => m.used >= m.limit);
      if (over) throw new LlmError(LlmErrorCode.BudgetExhausted, refusal(spent.who, over, periods));
    }
  }

  /** After a call: the warning to give, the first time a budget passes 80% in its period. */
  async warningAfterCall(ctx: Pick<LlmCallContext, 'userId' | 'agentNumber'>): Promise<string | undefined> {
    const periods = this.periods();
    for (const spent of await this.spent(ctx, periods)) {
      const near = measures(spent)
        .filter((m) => m.used >= m.limit * WARN_AT)
        .sort((a, b) => b.used / b.limit - a.used / a.limit)[0];
      if (!near) continue;
      const id = 'userId' in spent.scope ? `u:${spent.scope.userId}` : `a:${spent.scope.agentNumber}`;
      const key = `llm:warned:${id}:${near.period === 'day' ? periods.day : periods.month}:${near.unit}`;
      if (await this.kv.setIfAbsent(key, '1', 32 * 86_400_000)) return warning(spent.who, near);
    }
    return undefined;
  }

  private async spent(ctx: Pick<LlmCallContext, 'userId' | 'agentNumber'>, p: BudgetPeriods): Promise<Spent[]> {
    const scopes: { scope: UsageScope; who: string }[] = [];
    if (ctx.userId) scopes.push({ scope: { userId: ctx.userId }, who: 'you' });
    if (ctx.agentNumber !== undefined) {
      const name = this.registry.get(ctx.agentNumber)?.name;
      scopes.push({
        scope: { agentNumber: ctx.agentNumber },
        who: `agent #${ctx.agentNumber}${name ? ` ${name}` : ''}`,
      });
    }
    return Promise.all(
      scopes.map(async ({ scope, who }) => ({
        scope,
        who,
        limits: this.limits(scope),
        ...(await this.usage.periodTotals(scope, p.dayStart, p.monthStart)),
      })),
    );
  }
}

function measures(s: Spent): Measure[] {
  const all: Measure[] = [
    { period: 'day', unit: 'tokens', used: s.day.totalTokens, limit: s.limits.dailyTokens },
    { period: 'month', unit: 'tokens', used: s.month.totalTokens, limit: s.limits.monthlyTokens },
    { period: 'day', unit: 'usd', used: s.day.costUsd, limit: s.limits.dailyUsd },
    { period: 'month', unit: 'usd', used: s.month.costUsd, limit: s.limits.monthlyUsd },
  ];
  return all.filter((m) => m.limit > 0);
}

export const formatUsd = (usd: number) => `US$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`;
const amount = (m: Pick<Measure, 'unit'>, n: number) =>
  m.unit === 'usd' ? formatUsd(n) : `${Math.round(n).toLocaleString('en-US')} tokens`;
const periodName = (m: Measure) => (m.period === 'day' ? "today's" : "this month's");

function refusal(who: string, m: Measure, p: BudgetPeriods): string {
  const subject = who === 'you' ? 'You have' : `${who[0]!.toUpperCase()}${who.slice(1)} has`;
  const renews = m.period === 'day' ? `tomorrow (${p.nextDay})` : `on ${p.nextMonth}`;
  return (
    `${subject} used ${periodName(m)} AI budget (${amount(m, m.used)} of ${amount(m, m.limit)}), so I will not ask ` +
    `the AI model until it renews ${renews}. Commands I can place myself still work: address an agent ` +
    `directly, like "#15 list invoices".`
  );
}

function warning(who: string, m: Measure): string {
  const subject = who === 'you' ? 'you have' : `${who} has`;
  const percent = Math.floor((m.used / m.limit) * 100);
  return `Heads up: ${subject} used ${percent}% of ${periodName(m)} AI budget (${amount(m, m.used)} of ${amount(m, m.limit)}).`;
}
