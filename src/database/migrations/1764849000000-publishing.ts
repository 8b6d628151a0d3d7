import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agent #29's posts: markdown drafts with their front matter, every saved version kept as a
 * revision, when each is due or went out, the site settings last used to build the person's site,
 * and where a post was also published (Ghost, WordPress) with the remote id, so a retry updates
 * instead of posting twice.
 */
export class Publishing1764849000000 implements MigrationInterface {
  name = 'Publishing1764849000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE posts (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id),
        slug VARCHAR(120) NOT NULL,
        title VARCHAR(300) NOT NULL,
        summary TEXT,
        tags JSONB NOT NULL DEFAULT '[]',
        cover_image TEXT,
        body TEXT NOT NULL,
        status VARCHAR(16) NOT NULL DEFAULT 'draft',
        revision INT NOT NULL DEFAULT 1,
        publish_at TIMESTAMPTZ,
        published_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        CONSTRAINT posts_status CHECK (status IN ('draft', 'scheduled', 'published'))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_posts_slug ON posts(user_id, slug)`);
    await q.query(`CREATE INDEX ix_posts_due ON posts(publish_at) WHERE status = 'scheduled'`);
    await q.query(`
      CREATE TABLE post_revisions (
        post_id UUID NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        revision INT NOT NULL,
        markdown TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        PRIMARY KEY (post_id, revision)
      )`);
    await q.query(`
      CREATE TABLE post_remotes (
        post_id UUID NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        target VARCHAR(16) NOT NULL,
        remote_id VARCHAR(120) NOT NULL,
        remote_url TEXT,
        revision INT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        PRIMARY KEY (post_id, target)
      )`);
    await q.query(`
      CREATE TABLE publishing_sites (
        user_id UUID PRIMARY KEY REFERENCES users(id),
        settings JSONB NOT NULL,
        built_at TIMESTAMPTZ
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE publishing_sites`);
    await q.query(`DROP TABLE post_remotes`);
    await q.query(`DROP TABLE post_revisions`);
    await q.query(`DROP TABLE posts`);
  }
}
