import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Discord channels bound to one agent (`discord_channels`): shared by every process, kept across restarts. */
@Injectable()
export class DiscordChannelRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async bind(binding: { channelId: string; guildId: string; agentNumber: number; createdBy: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO discord_channels (channel_id, guild_id, agent_number, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel_id) DO UPDATE SET agent_number = EXCLUDED.agent_number`,
      [binding.channelId, binding.guildId, binding.agentNumber, binding.createdBy],
    );
  }

  /** The channel already bound to this agent in this guild, if any. */
  async findInGuild(guildId: string, agentNumber: number): Promise<string | undefined> {
    const [row] = await this.db.query<{ channel_id: string }[]>(
      `SELECT channel_id FROM discord_channels WHERE guild_id = $1 AND agent_number = $2 LIMIT 1`,
      [guildId, agentNumber],
    );
    return row?.channel_id;
  }

  /** Every binding, channel id -> agent number. */
  async all(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ channel_id: string; agent_number: number }[]>(
      `SELECT channel_id, agent_number FROM discord_channels`,
    );
    return new Map(rows.map((r) => [r.channel_id, r.agent_number]));
  }
}
