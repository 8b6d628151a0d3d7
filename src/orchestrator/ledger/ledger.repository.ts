import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Calendar } from '../../common/clock.js';

/** Sums per currency, in minor units. */
export type Amounts = Record<string, bigint>;

export interface RevenueReport {
  from: string;
  to: string;
  /** Invoices issued in the period (not void), by currency. */
  invoiced: Amounts;
  /** Payments received in the period, by currency. */
  collected: Amounts;
  /** Still owed on sent invoices today, by currency. */
  outstanding: Amounts;
  overdue: Amounts;
  byClient: { client: string; currency: string; invoiced: bigint }[];
}

const sums = (rows: { currency: string; total: string | null }[]): Amounts =>
  Object.fromEntries(rows.filter((r) => r.total !== null).map((r) => [r.currency.trim(), BigInt(r.total!)]));

/** A client as other agents see it: enough to start a project or bill it. */
export interface LedgerClient {
  id: string;
  name: string;
  /** The client's billing currency (ISO 4217). */
  currency: string;
}

/**
 * The person's client called `name`: an exact match (any case), else the one client whose name
 * starts with it; null when there is none or the prefix is ambiguous. The one rule agent #15 and
 * everyone reading its ledger share.
 */
export async function findClientRow(
  db: Pick<DataSource, 'query'>,
  userId: string,
  name: string,
): Promise<Record<string, unknown> | null> {
  const rows = await db.query<Record<string, unknown>[]>(
    `SELECT * FROM clients WHERE user_id = $1 AND (lower(name) = lower($2) OR lower(name) LIKE lower($3) || '%')
      ORDER BY (lower(name) = lower($2)) DESC, name LIMIT 2`,
    [userId, name.trim(), name.trim().replace(/[%_\\]/g, '\\$&')],
  );
  if (rows.length === 0) return null;
  if (rows.length === 2 && (rows[0]!.name as string).toLowerCase() !== name.trim().toLowerCase()) return null;
  return rows[0]!;
}

/**
 * The read side of agent #15's ledger (clients, invoices, payments) for the rest of paios: revenue,
 * receivables and top clients computed in SQL, and client lookup. Agents read another agent's data
 * here, never by importing that agent; #15 alone writes it.
 */
@Injectable()
export class LedgerRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendar: Calendar,
  ) {}

  async findClient(userId: string, name: string): Promise<LedgerClient | null> {
    const row = await findClientRow(this.dataSource, userId, name);
    return row ? { id: row.id as string, name: row.name as string, currency: (row.currency as string).trim() } : null;
  }

  /** Invoiced (not void) per month and currency, from the first day of `fromMonth` (YYYY-MM-01). */
  async monthly(userId: string, fromMonth: string): Promise<{ month: string; currency: string; total: bigint }[]> {
    const rows = await this.dataSource.query<{ month: string; currency: string; total: string }[]>(
      `SELECT to_char(date_trunc('month', issue_date), 'YYYY-MM') AS month, currency, SUM(total_minor)::text AS total
         FROM invoices WHERE user_id = $1 AND status <> 'void' AND issue_date >= $2
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [userId, fromMonth],
    );
    return rows.map((r) => ({ month: r.month, currency: r.currency.trim(), total: BigInt(r.total) }));
  }

  /** Overdue invoices, most overdue first. */
  async overdueInvoices(
    userId: string,
    limit = 5,
  ): Promise<{ number: string; client: string; currency: string; owed: bigint; dueDate: string }[]> {
    const rows = await this.dataSource.query<
      { number: string; client: string; currency: string; owed: string; due_date: string }[]
    >(
      `SELECT i.number, c.name AS client, i.currency, (i.total_minor - i.paid_minor)::text AS owed, i.due_date::text AS due_date
         FROM invoices i JOIN clients c ON c.id = i.client_id
        WHERE i.user_id = $1 AND i.status IN ('sent', 'partially_paid', 'overdue') AND i.due_date < $3::date
        ORDER BY i.due_date, i.number LIMIT $2`,
      [userId, limit, this.calendar.today()],
    );
    return rows.map((r) => ({
      number: r.number,
      client: r.client,
      currency: r.currency.trim(),
      owed: BigInt(r.owed),
      dueDate: r.due_date,
    }));
  }

  /** `to` is exclusive (a month is [2026-11-01, 2026-12-01)). */
  async revenue(userId: string, from: string, to: string): Promise<RevenueReport> {
    const q = <T>(sql: string, params: unknown[]) => this.dataSource.query<T[]>(sql, params);
    const invoiced = await q<{ currency: string; total: string }>(
      `SELECT currency, SUM(total_minor)::text AS total FROM invoices
        WHERE user_id = $1 AND status <> 'void' AND issue_date >= $2 AND issue_date < $3 GROUP BY currency`,
      [userId, from, to],
    );
    const collected = await q<{ currency: string; total: string }>(
      `SELECT i.currency, SUM(p.amount_minor)::text AS total FROM payments p JOIN invoices i ON i.id = p.invoice_id
        WHERE i.user_id = $1 AND p.paid_on >= $2 AND p.paid_on < $3 GROUP BY i.currency`,
      [userId, from, to],
    );
    const outstanding = await q<{ currency: string; total: string }>(
      `SELECT currency, SUM(total_minor - paid_minor)::text AS total FROM invoices
        WHERE user_id = $1 AND status IN ('sent', 'partially_paid', 'overdue') GROUP BY currency`,
      [userId],
    );
    const overdue = await q<{ currency: string; total: string }>(
      `SELECT currency, SUM(total_minor - paid_minor)::text AS total FROM invoices
        WHERE user_id = $1 AND status IN ('sent', 'partially_paid', 'overdue') AND due_date < $2::date GROUP BY currency`,
      [userId, this.calendar.today()],
    );
    const byClient = await q<{ client: string; currency: string; total: string }>(
      `SELECT c.name AS client, i.currency, SUM(i.total_minor)::text AS total FROM invoices i JOIN clients c ON c.id = i.client_id
        WHERE i.user_id = $1 AND i.status <> 'void' AND i.issue_date >= $2 AND i.issue_date < $3
        GROUP BY c.name, i.currency ORDER BY SUM(i.total_minor) DESC, c.name LIMIT 5`,
      [userId, from, to],
    );
    return {
      from,
      to,
      invoiced: sums(invoiced),
      collected: sums(collected),
      outstanding: sums(outstanding),
      overdue: sums(overdue),
      byClient: byClient.map((r) => ({ client: r.client, currency: r.currency.trim(), invoiced: BigInt(r.total) })),
    };
  }
}
