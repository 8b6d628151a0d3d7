import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { LlmProvider } from './language-model.port.js';

/** One model call as recorded. */
export interface LlmUsageRecord {
  userId: string | null;
  agentNumber: number | null;
  purpose: string;
  provider: LlmProvider;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
}

/** Calls, tokens and dollars summed over a period. */
export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
}

/** Whose usage: one person's, or one agent's. */
export type UsageScope = { userId: string } | { agentNumber: number };

/** Summed columns, prefixed, over the rows matching `filter`. */
const totals = (p: string, filter: string) =>
  ['COUNT(*)', 'SUM(input_tokens)', 'SUM(output_tokens)', 'SUM(cost_usd)']
    .map((agg, i) => `COALESCE(${agg} FILTER (WHERE ${filter}), 0) AS ${p}_${['calls', 'input', 'output', 'cost'][i]}`)
    .join(', ');

/** `llm_usage`: every model call, summed for budgets and for GET /api/llm/usage. */
@Injectable()
export class LlmUsageRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(r: LlmUsageRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO llm_usage (user_id, agent_number, purpose, provider, model, input_tokens, output_tokens, cost_usd, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        r.userId,
        r.agentNumber,
        r.purpose.slice(0, 64),
        r.provider,
        r.model.slice(0, 128),
        r.inputTokens,
        r.outputTokens,
        r.costUsd,
        Math.round(r.durationMs),
      ],
    );
  }

  /** Totals of today and of this month, of one person (all agents) or of one agent (all people). */
  async periodTotals(
    scope: UsageScope,
    dayStart: Date,
    monthStart: Date,
  ): Promise<{ day: UsageTotals; month: UsageTotals }> {
    const [column, value] = 'userId' in scope ? ['user_id', scope.userId] : ['agent_number', scope.agentNumber];
    const since = dayStart < monthStart ? dayStart : monthStart;
    const [row] = await this.db.query<Record<string, string>[]>(
      `SELECT ${totals('d', 'created_at >= $2')}, ${totals('m', 'created_at >= $3')}
       FROM llm_usage WHERE ${column} = $1 AND created_at >= $4`,
      [value, dayStart, monthStart, since],
    );
    return { day: toTotals(row, 'd'), month: toTotals(row, 'm') };
  }

  /** One person's totals since `since`, by agent (null: the router). */
  async byAgent(userId: string, since: Date): Promise<{ agentNumber: number | null; totals: UsageTotals }[]> {
    const rows = await this.db.query<Record<string, string | number | null>[]>(
      `SELECT agent_number, ${totals('t', 'true')} FROM llm_usage WHERE user_id = $1 AND created_at >= $2
       GROUP BY agent_number ORDER BY agent_number NULLS FIRST`,
      [userId, since],
    );
    return rows.map((r) => ({
      agentNumber: r.agent_number === null ? null : Number(r.agent_number),
      totals: toTotals(r, 't'),
    }));
  }
}

function toTotals(row: Record<string, unknown> | undefined, p: string): UsageTotals {
  const n = (key: string) => Number(row?.[`${p}_${key}`] ?? 0);
  return {
    calls: n('calls'),
    inputTokens: n('input'),
    outputTokens: n('output'),
    totalTokens: n('input') + n('output'),
    // Micro-dollars are the finest a person cares about; NUMERIC and bigint arrive as strings.
    costUsd: Math.round(n('cost') * 1_000_000) / 1_000_000,
  };
}
