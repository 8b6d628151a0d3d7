import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Discord channels paios created for an agent: messages there go to that agent without addressing. */
export class DiscordChannels1764650000000 implements MigrationInterface {
  name = 'DiscordChannels1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE discord_channels (
        channel_id VARCHAR(32) PRIMARY KEY,
        guild_id VARCHAR(32) NOT NULL,
        agent_number INTEGER NOT NULL,
        created_by UUID REFERENCES users(id) ON DELETE SET NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX discord_channels_guild_agent ON discord_channels (guild_id, agent_number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE discord_channels`);
  }
}
