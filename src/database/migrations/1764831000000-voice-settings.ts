import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each person's voice settings (the seed's POST /api/voice/settings): how spoken replies sound. */
export class VoiceSettings1764831000000 implements MigrationInterface {
  name = 'VoiceSettings1764831000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE voice_settings (
        user_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        voice VARCHAR(64),
        speed REAL NOT NULL DEFAULT 1.0,
        spoken_replies BOOLEAN NOT NULL DEFAULT true,
        language VARCHAR(16),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE voice_settings`);
  }
}
