import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When an overdue invoice was last chased, so reminders go out at most weekly. */
export class InvoiceReminders1764500000000 implements MigrationInterface {
  name = 'InvoiceReminders1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE invoices ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0, ADD COLUMN last_reminded_at TIMESTAMPTZ`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoices DROP COLUMN reminders_sent, DROP COLUMN last_reminded_at`);
  }
}
