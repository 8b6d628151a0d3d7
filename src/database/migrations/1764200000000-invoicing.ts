import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agent #15's ledger: clients, invoices with their lines and payments, and per-user, per-year
 * invoice number sequences. Money is BIGINT minor units, quantities BIGINT thousandths, rates
 * INTEGER basis points: nothing is stored as a float.
 */
export class Invoicing1764200000000 implements MigrationInterface {
  name = 'Invoicing1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clients (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id),
        name VARCHAR(255) NOT NULL,
        email VARCHAR(255),
        address TEXT,
        currency CHAR(3) NOT NULL,
        tax_id VARCHAR(64),
        payment_terms_days INTEGER NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 365),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_clients_user_name ON clients(user_id, lower(name))`);
    await q.query(`
      CREATE TABLE invoice_sequences (
        user_id UUID NOT NULL REFERENCES users(id),
        year INTEGER NOT NULL,
        last_number INTEGER NOT NULL,
        PRIMARY KEY (user_id, year)
      )`);
    await q.query(`
      CREATE TABLE invoices (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id),
        client_id UUID NOT NULL REFERENCES clients(id),
        number VARCHAR(64) NOT NULL,
        year INTEGER NOT NULL,
        sequence INTEGER NOT NULL,
        status VARCHAR(20) NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft', 'sent', 'partially_paid', 'paid', 'overdue', 'void')),
        currency CHAR(3) NOT NULL,
        issue_date DATE NOT NULL,
        due_date DATE NOT NULL,
        discount_bp INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
        subtotal_minor BIGINT NOT NULL,
        discount_minor BIGINT NOT NULL,
        tax_minor BIGINT NOT NULL,
        total_minor BIGINT NOT NULL,
        paid_minor BIGINT NOT NULL DEFAULT 0,
        notes TEXT,
        idempotency_key VARCHAR(255),
        sent_at TIMESTAMPTZ,
        paid_at TIMESTAMPTZ,
        voided_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        CONSTRAINT uq_invoices_user_number UNIQUE (user_id, number),
        CONSTRAINT uq_invoices_user_year_sequence UNIQUE (user_id, year, sequence),
        CONSTRAINT uq_invoices_user_idempotency UNIQUE (user_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX idx_invoices_user_status ON invoices(user_id, status, due_date)`);
    await q.query(`CREATE INDEX idx_invoices_client ON invoices(client_id)`);
    await q.query(`
      CREATE TABLE invoice_lines (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id UUID NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        description TEXT NOT NULL,
        quantity_milli BIGINT NOT NULL CHECK (quantity_milli > 0),
        unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor >= 0),
        tax_bp INTEGER NOT NULL CHECK (tax_bp BETWEEN 0 AND 10000),
        net_minor BIGINT NOT NULL,
        discount_minor BIGINT NOT NULL,
        tax_minor BIGINT NOT NULL,
        total_minor BIGINT NOT NULL,
        UNIQUE (invoice_id, position)
      )`);
    await q.query(`
      CREATE TABLE payments (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id UUID NOT NULL REFERENCES invoices(id),
        amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
        paid_on DATE NOT NULL,
        method VARCHAR(64),
        reference VARCHAR(255),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE INDEX idx_payments_invoice ON payments(invoice_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['payments', 'invoice_lines', 'invoices', 'invoice_sequences', 'clients'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
