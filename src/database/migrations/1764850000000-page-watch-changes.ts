import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a watched page last changed (by paios's clock) and the diff it was told with, so #7 can say
 * what changed lately (`recent_changes`) and #1's digest can carry it.
 */
export class PageWatchChanges1764850000000 implements MigrationInterface {
  name = 'PageWatchChanges1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE page_watches ADD COLUMN last_changed_at TIMESTAMPTZ`);
    await q.query(`ALTER TABLE page_watches ADD COLUMN last_diff TEXT`);
    await q.query(`CREATE INDEX ix_page_watches_changed ON page_watches(user_id, last_changed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_page_watches_changed`);
    await q.query(`ALTER TABLE page_watches DROP COLUMN last_diff`);
    await q.query(`ALTER TABLE page_watches DROP COLUMN last_changed_at`);
  }
}
