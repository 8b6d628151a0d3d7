import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';

/** Bindings are re-read this often, so a channel created in one process is known to all of them. */
const REFRESH_MS = 15_000;

/**
 * Discord channels bound to one agent: from DISCORD_AGENT_CHANNELS, and channels paios created on
 * request (kept in `discord_channels`, so they survive restarts and are shared by every process).
 */
@Injectable()
export class DiscordChannels {
  private bound = new Map<string, number>();
  private loadedAt = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  async agentFor(channelId: string): Promise<number | undefined> {
    const configured = this.config.discord?.agentChannels[channelId];
    if (configured !== undefined) return configured;
    if (Date.now() - this.loadedAt > REFRESH_MS) await this.reload();
    return this.bound.get(channelId);
  }

  async bind(channelId: string, guildId: string, agentNumber: number, userId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO discord_channels (channel_id, guild_id, agent_number, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel_id) DO UPDATE SET agent_number = EXCLUDED.agent_number`,
      [channelId, guildId, agentNumber, userId],
    );
    this.bound.set(channelId, agentNumber);
  }

  /** The channel already bound to this agent in this guild, if any. */
  async existing(guildId: string, agentNumber: number): Promise<string | undefined> {
    const [row] = await this.db.query<{ channel_id: string }[]>(
      `SELECT channel_id FROM discord_channels WHERE guild_id = $1 AND agent_number = $2 LIMIT 1`,
      [guildId, agentNumber],
    );
    return row?.channel_id;
  }

  private async reload(): Promise<void> {
    const rows = await this.db.query<{ channel_id: string; agent_number: number }[]>(
      `SELECT channel_id, agent_number FROM discord_channels`,
    );
    this.bound = new Map(rows.map((r) => [r.channel_id, r.agent_number]));
    this.loadedAt = Date.now();
  }
}
