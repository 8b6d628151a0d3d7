import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where an invoice can be paid online (a Stripe payment link), created once per invoice. */
export class InvoicePaymentLinks1764400000000 implements MigrationInterface {
  name = 'InvoicePaymentLinks1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoices ADD COLUMN payment_link_url TEXT, ADD COLUMN payment_link_id VARCHAR(255)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoices DROP COLUMN payment_link_url, DROP COLUMN payment_link_id`);
  }
}
