import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { addCalendarDays, Calendar } from '../../common/clock.js';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, isUniqueViolation } from '../../common/errors.js';
import { returnedRows } from '../../database/query-result.js';
import { findClientRow } from '../../orchestrator/ledger/ledger.repository.js';
import { computeTotals, minorDigits } from '../../sdk/money.js';
import { formatInvoiceNumber } from './invoice-number.js';
import type { Client, Invoice, InvoiceStatus, NewClient, NewInvoice } from './invoice.types.js';

type Row = Record<string, unknown>;

const toClient = (r: Row): Client => ({
  id: r.id as string,
  name: r.name as string,
  email: (r.email as string | null) ?? null,
  address: (r.address as string | null) ?? null,
  currency: (r.currency as string).trim(),
  taxId: (r.tax_id as string | null) ?? null,
  paymentTermsDays: Number(r.payment_terms_days),
});

const dateText = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

/** Clients, invoices, lines and numbering of agent #15, per user. */
@Injectable()
export class InvoiceRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendar: Calendar,
  ) {}

  /**
   * Today as the person sees it (PAIOS_TIMEZONE), never the database's CURRENT_DATE: an invoice is
   * overdue from the person's midnight, and "10 days ago" counts their calendar days.
   */
  today(): string {
    return this.calendar.today();
  }

  async createClient(userId: string, c: NewClient): Promise<Client> {
    minorDigits(c.currency); // a real currency, or a clear error
    try {
      const [row] = await this.dataSource.query<Row[]>(
        `INSERT INTO clients (user_id, name, email, address, currency, tax_id, payment_terms_days)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          userId,
          c.name.trim(),
          c.email ?? null,
          c.address ?? null,
          c.currency,
          c.taxId ?? null,
          c.paymentTermsDays ?? 30,
        ],
      );
      return toClient(row!);
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainError(ErrorCode.Conflict, `you already have a client named ${c.name.trim()}`);
      throw err;
    }
  }

  /** The names of the person's clients (what they may say aloud). */
  async clientNames(userId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ name: string }[]>(
      `SELECT name FROM clients WHERE user_id = $1 ORDER BY created_at DESC LIMIT 500`,
      [userId],
    );
    return rows.map((r) => r.name);
  }

  async listClients(userId: string): Promise<Client[]> {
    return (
      await this.dataSource.query<Row[]>(`SELECT * FROM clients WHERE user_id = $1 ORDER BY lower(name)`, [userId])
    ).map(toClient);
  }

  /** By exact name (any case), else by a unique prefix; null when none or ambiguous. */
  async findClient(userId: string, name: string): Promise<Client | null> {
    const row = await findClientRow(this.dataSource, userId, name);
    return row ? toClient(row) : null;
  }

  /**
   * Creates an invoice with the next number of its year, in one transaction: the sequence row is
   * locked until commit, so concurrent creations get consecutive numbers and a failed one leaves
   * no gap.
   */
  async createInvoice(userId: string, input: NewInvoice, numberPattern: string): Promise<Invoice> {
    if (input.lines.length === 0) throw new DomainError(ErrorCode.Invalid, 'an invoice needs at least one line');
    if (input.idempotencyKey) {
      const existing = await this.findByIdempotencyKey(userId, input.idempotencyKey);
      if (existing) return existing;
    }
    try {
      const id = await this.dataSource.transaction(async (em) => this.insertInvoice(em, userId, input, numberPattern));
      return (await this.get(userId, id))!;
    } catch (err) {
      if (input.idempotencyKey && isUniqueViolation(err, 'uq_invoices_user_idempotency')) {
        return (await this.findByIdempotencyKey(userId, input.idempotencyKey))!;
      }
      throw err;
    }
  }

  private async insertInvoice(em: EntityManager, userId: string, input: NewInvoice, pattern: string): Promise<string> {
    const [clientRow] = await em.query<Row[]>(`SELECT * FROM clients WHERE id = $1 AND user_id = $2`, [
      input.clientId,
      userId,
    ]);
    if (!clientRow) throw new DomainError(ErrorCode.NotFound, `client ${input.clientId} not found`);
    const client = toClient(clientRow);
    const currency = input.currency ?? client.currency;
    if (currency !== client.currency) {
      throw new DomainError(ErrorCode.Invalid, `${client.name} is billed in ${client.currency}, not ${currency}`);
    }
    const totals = computeTotals(input.lines, input.discountRate ?? 0);
    const issueDate = input.issueDate ?? this.today();
    const dueDate = input.dueDate ?? addCalendarDays(issueDate, client.paymentTermsDays);
    if (dueDate < issueDate) throw new DomainError(ErrorCode.Invalid, 'the due date is before the issue date');
    const year = Number(issueDate.slice(0, 4));
    const [seq] = await em.query<{ last_number: number }[]>(
      `INSERT INTO invoice_sequences (user_id, year, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (user_id, year) DO UPDATE SET last_number = invoice_sequences.last_number + 1
       RETURNING last_number`,
      [userId, year],
    );
    const sequence = seq!.last_number;
    const [inv] = await em.query<{ id: string }[]>(
      `INSERT INTO invoices (user_id, client_id, number, year, sequence, currency, issue_date, due_date, discount_bp,
                             subtotal_minor, discount_minor, tax_minor, total_minor, notes, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
      [
        userId,
        client.id,
        formatInvoiceNumber(pattern, year, sequence),
        year,
        sequence,
        currency,
        issueDate,
        dueDate,
        input.discountRate ?? 0,
        totals.subtotal.toString(),
        totals.discount.toString(),
        totals.tax.toString(),
        totals.total.toString(),
        input.notes ?? null,
        input.idempotencyKey ?? null,
      ],
    );
    for (const [i, line] of input.lines.entries()) {
      const a = totals.lines[i]!;
      await em.query(
        `INSERT INTO invoice_lines (invoice_id, position, description, quantity_milli, unit_price_minor, tax_bp,
                                    net_minor, discount_minor, tax_minor, total_minor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          inv!.id,
          i + 1,
          line.description,
          line.quantity.toString(),
          line.unitPrice.toString(),
          line.taxRate,
          a.net.toString(),
          a.discount.toString(),
          a.tax.toString(),
          a.total.toString(),
        ],
      );
    }
    return inv!.id;
  }

  private async findByIdempotencyKey(userId: string, key: string): Promise<Invoice | null> {
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM invoices WHERE user_id = $1 AND idempotency_key = $2`,
      [userId, key],
    );
    return row ? this.get(userId, row.id) : null;
  }

  /** Invoices, newest first; `overdue` means sent or partly paid and past the due date. */
  async list(
    userId: string,
    filter: { status?: InvoiceStatus; clientId?: string } = {},
    limit = 50,
  ): Promise<Invoice[]> {
    const where = ['user_id = $1'];
    const params: unknown[] = [userId];
    if (filter.status === 'overdue')
      where.push(`status IN ('sent', 'partially_paid', 'overdue') AND due_date < $${params.push(this.today())}::date`);
    else if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.clientId) where.push(`client_id = $${params.push(filter.clientId)}`);
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM invoices WHERE ${where.join(' AND ')} ORDER BY issue_date DESC, sequence DESC LIMIT ${Math.min(limit, 500)}`,
      params,
    );
    return Promise.all(rows.map(async (r) => (await this.get(userId, r.id))!));
  }

  async setPaymentLink(userId: string, invoiceId: string, linkId: string, url: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE invoices SET payment_link_id = $3, payment_link_url = $4, updated_at = NOW() WHERE id = $1 AND user_id = $2`,
      [invoiceId, userId, linkId, url],
    );
  }

  /** draft -> sent. */
  async markSent(userId: string, invoice: Invoice): Promise<Invoice> {
    if (invoice.status === 'void') throw new DomainError(ErrorCode.Conflict, `${invoice.number} is void`);
    if (invoice.status !== 'draft') return invoice;
    await this.dataSource.query(
      `UPDATE invoices SET status = 'sent', sent_at = NOW(), updated_at = NOW() WHERE id = $1 AND user_id = $2`,
      [invoice.id, userId],
    );
    return (await this.get(userId, invoice.id))!;
  }

  /**
   * Records a payment (default: what is still owed) and moves the invoice to paid or partially
   * paid. Refuses void invoices and payments above the amount due.
   */
  async recordPayment(
    userId: string,
    invoiceId: string,
    amount: bigint | undefined,
    paidOn: string,
    method?: string,
  ): Promise<Invoice> {
    await this.dataSource.transaction(async (em) => {
      const [row] = await em.query<Row[]>(`SELECT * FROM invoices WHERE id = $1 AND user_id = $2 FOR UPDATE`, [
        invoiceId,
        userId,
      ]);
      if (!row) throw new DomainError(ErrorCode.NotFound, `invoice ${invoiceId} not found`);
      const number = row.number as string;
      if (row.status === 'void') throw new DomainError(ErrorCode.Conflict, `${number} is void; it cannot be paid`);
      const due = BigInt(row.total_minor as string) - BigInt(row.paid_minor as string);
      if (due <= 0n) throw new DomainError(ErrorCode.Conflict, `${number} is already paid`);
      const pay = amount ?? due;
      if (pay <= 0n) throw new DomainError(ErrorCode.Invalid, 'a payment must be more than zero');
      if (pay > due) throw new DomainError(ErrorCode.Invalid, `${number} has only ${due} (minor units) left to pay`);
      await em.query(`INSERT INTO payments (invoice_id, amount_minor, paid_on, method) VALUES ($1, $2, $3, $4)`, [
        invoiceId,
        pay.toString(),
        paidOn,
        method ?? null,
      ]);
      const full = pay === due;
      await em.query(
        `UPDATE invoices SET paid_minor = paid_minor + $2::bigint, status = $3::varchar, paid_at = CASE WHEN $3::varchar = 'paid' THEN NOW() ELSE paid_at END,
                sent_at = COALESCE(sent_at, NOW()), updated_at = NOW() WHERE id = $1`,
        [invoiceId, pay.toString(), full ? 'paid' : 'partially_paid'],
      );
    });
    return (await this.get(userId, invoiceId))!;
  }

  /** Voids an invoice that has no payments. Its number stays used (no gap, no reuse). */
  async void(userId: string, invoice: Invoice): Promise<Invoice> {
    if (invoice.status === 'void') return invoice;
    if (invoice.paid > 0n)
      throw new DomainError(ErrorCode.Conflict, `${invoice.number} has payments; it cannot be voided`);
    await this.dataSource.query(
      `UPDATE invoices SET status = 'void', voided_at = NOW(), updated_at = NOW() WHERE id = $1 AND user_id = $2`,
      [invoice.id, userId],
    );
    return (await this.get(userId, invoice.id))!;
  }

  /**
   * Claims overdue invoices (of every user) that have a client email and were not chased in the last
   * `everyDays` days: marks them reminded now and returns them. `release` undoes a claim whose email
   * could not be sent.
   */
  async claimReminders(
    everyDays: number,
    limit = 100,
  ): Promise<{ userId: string; invoice: Invoice; previous: string | null }[]> {
    const rows = returnedRows<{ id: string; user_id: string; previous: string | null }>(
      await this.dataSource.query(
        `UPDATE invoices i SET last_reminded_at = $3, reminders_sent = reminders_sent + 1
           FROM (SELECT inv.id, inv.last_reminded_at AS previous FROM invoices inv JOIN clients c ON c.id = inv.client_id
                  WHERE inv.status IN ('sent', 'partially_paid', 'overdue') AND inv.due_date < $4::date
                    AND c.email IS NOT NULL
                    AND (inv.last_reminded_at IS NULL OR inv.last_reminded_at < $3::timestamptz - ($1::int * INTERVAL '1 day'))
                  ORDER BY inv.due_date LIMIT $2 FOR UPDATE OF inv SKIP LOCKED) due
          WHERE i.id = due.id
          RETURNING i.id, i.user_id, due.previous`,
        [everyDays, limit, this.calendar.now(), this.today()],
      ),
    );
    return Promise.all(
      rows.map(async (r) => ({
        userId: r.user_id,
        invoice: (await this.get(r.user_id, r.id))!,
        previous: r.previous ? new Date(r.previous).toISOString() : null,
      })),
    );
  }

  async releaseReminder(invoiceId: string, previous: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE invoices SET last_reminded_at = $2, reminders_sent = GREATEST(reminders_sent - 1, 0) WHERE id = $1`,
      [invoiceId, previous],
    );
  }

  /** Daily: sent or partly paid invoices past their due date become overdue. Returns how many. */
  async markOverdue(): Promise<number> {
    const [, n] = await this.dataSource.query<[unknown, number]>(
      `UPDATE invoices SET status = 'overdue', updated_at = NOW() WHERE status IN ('sent', 'partially_paid') AND due_date < $1::date`,
      [this.today()],
    );
    return n;
  }

  /** By id or by number (INV-2026-0007). */
  async get(userId: string, idOrNumber: string): Promise<Invoice | null> {
    const isId = /^[0-9a-f-]{36}$/i.test(idOrNumber);
    const [row] = await this.dataSource.query<Row[]>(
      `SELECT * FROM invoices WHERE user_id = $1 AND ${isId ? 'id = $2' : 'upper(number) = upper($2)'}`,
      [userId, idOrNumber],
    );
    if (!row) return null;
    const [clientRow] = await this.dataSource.query<Row[]>(`SELECT * FROM clients WHERE id = $1`, [row.client_id]);
    const lines = await this.dataSource.query<Row[]>(
      `SELECT * FROM invoice_lines WHERE invoice_id = $1 ORDER BY position`,
      [row.id],
    );
    return {
      id: row.id as string,
      number: row.number as string,
      status: row.status as InvoiceStatus,
      client: toClient(clientRow!),
      currency: (row.currency as string).trim(),
      issueDate: dateText(row.issue_date),
      dueDate: dateText(row.due_date),
      discountRate: Number(row.discount_bp),
      subtotal: BigInt(row.subtotal_minor as string),
      discount: BigInt(row.discount_minor as string),
      tax: BigInt(row.tax_minor as string),
      total: BigInt(row.total_minor as string),
      paid: BigInt(row.paid_minor as string),
      notes: (row.notes as string | null) ?? null,
      paymentLinkUrl: (row.payment_link_url as string | null) ?? null,
      lines: lines.map((l) => ({
        position: Number(l.position),
        description: l.description as string,
        quantity: BigInt(l.quantity_milli as string),
        unitPrice: BigInt(l.unit_price_minor as string),
        taxRate: Number(l.tax_bp),
        net: BigInt(l.net_minor as string),
        discount: BigInt(l.discount_minor as string),
        tax: BigInt(l.tax_minor as string),
        total: BigInt(l.total_minor as string),
      })),
    };
  }
}
