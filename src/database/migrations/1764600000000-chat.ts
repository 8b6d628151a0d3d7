import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chat: pairing codes for unknown platform accounts, digest subscriptions (a schedule and the chat
 * address to post to), and where a voice interaction came from with its transcription timing.
 */
export class Chat1764600000000 implements MigrationInterface {
  name = 'Chat1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pairing_codes (
        code VARCHAR(16) PRIMARY KEY,
        platform VARCHAR(32) NOT NULL,
        workspace VARCHAR(255) NOT NULL DEFAULT '',
        platform_user_id VARCHAR(255) NOT NULL,
        display_name VARCHAR(255),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL,
        approved_at TIMESTAMPTZ,
        user_id UUID REFERENCES users(id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE UNIQUE INDEX pairing_codes_open_account ON pairing_codes (platform, workspace, platform_user_id) WHERE approved_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE digest_subscriptions (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        platform VARCHAR(32) NOT NULL,
        workspace VARCHAR(255) NOT NULL DEFAULT '',
        channel VARCHAR(255) NOT NULL,
        thread VARCHAR(255),
        cron VARCHAR(64) NOT NULL,
        timezone VARCHAR(64) NOT NULL,
        description VARCHAR(255) NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_sent_at TIMESTAMPTZ
      )`);
    await q.query(
      `CREATE UNIQUE INDEX digest_subscriptions_one_per_channel ON digest_subscriptions (user_id, platform, workspace, channel)`,
    );
    await q.query(`
      ALTER TABLE voice_interactions
        ADD COLUMN channel VARCHAR(32),
        ADD COLUMN input_kind VARCHAR(16) NOT NULL DEFAULT 'text',
        ADD COLUMN audio_path TEXT,
        ADD COLUMN audio_seconds REAL,
        ADD COLUMN transcription_ms INTEGER`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE voice_interactions DROP COLUMN channel, DROP COLUMN input_kind, DROP COLUMN audio_path, DROP COLUMN audio_seconds, DROP COLUMN transcription_ms`,
    );
    await q.query(`DROP TABLE digest_subscriptions`);
    await q.query(`DROP TABLE pairing_codes`);
  }
}
