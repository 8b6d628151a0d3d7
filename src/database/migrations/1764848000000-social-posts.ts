import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agent #8's posts: the draft as written and as each network takes it, its state (draft, scheduled,
 * approved, posted, cancelled...), when it goes out and the chat that asked; and one delivery per
 * network and thread part, whose idempotency key is stored with the remote id so no post goes twice.
 */
export class SocialPosts1764848000000 implements MigrationInterface {
  name = 'SocialPosts1764848000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE social_posts (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id),
        request_key VARCHAR(200),
        draft JSONB NOT NULL,
        composed JSONB NOT NULL,
        status VARCHAR(16) NOT NULL DEFAULT 'draft',
        scheduled_at TIMESTAMPTZ,
        chat JSONB,
        claimed_until TIMESTAMPTZ,
        error TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        posted_at TIMESTAMPTZ
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_social_posts_request ON social_posts(user_id, request_key)`);
    await q.query(`CREATE INDEX ix_social_posts_user ON social_posts(user_id, created_at DESC)`);
    await q.query(
      `CREATE INDEX ix_social_posts_due ON social_posts(scheduled_at) WHERE status IN ('scheduled', 'approved')`,
    );
    await q.query(`
      CREATE TABLE social_deliveries (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        post_id UUID NOT NULL REFERENCES social_posts(id) ON DELETE CASCADE,
        network VARCHAR(16) NOT NULL,
        part INTEGER NOT NULL,
        idempotency_key VARCHAR(80) NOT NULL UNIQUE,
        status VARCHAR(16) NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        first_tried_at TIMESTAMPTZ,
        remote_id TEXT,
        remote_cid TEXT,
        url TEXT,
        error TEXT,
        sent_at TIMESTAMPTZ,
        likes INTEGER,
        reposts INTEGER,
        replies INTEGER,
        metrics_at TIMESTAMPTZ,
        UNIQUE (post_id, network, part)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE social_deliveries`);
    await q.query(`DROP TABLE social_posts`);
  }
}
