import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agent #7's watched pages: what to watch (a URL, optionally a CSS selector), how often (cron), the
 * chat that asked (where changes are told), and its snapshots, each with a SHA-256 of its text.
 */
export class PageWatches1764846000000 implements MigrationInterface {
  name = 'PageWatches1764846000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE page_watches (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id),
        url TEXT NOT NULL,
        selector TEXT,
        cron VARCHAR(64) NOT NULL,
        every_text VARCHAR(64) NOT NULL,
        chat JSONB,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        stopped_at TIMESTAMPTZ
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_page_watches_active ON page_watches(user_id, url, COALESCE(selector, '')) WHERE stopped_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE page_snapshots (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        watch_id UUID NOT NULL REFERENCES page_watches(id) ON DELETE CASCADE,
        hash CHAR(64) NOT NULL,
        content TEXT NOT NULL,
        taken_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE INDEX ix_page_snapshots_watch ON page_snapshots(watch_id, taken_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE page_snapshots`);
    await q.query(`DROP TABLE page_watches`);
  }
}
