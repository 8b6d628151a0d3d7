import { Inject, Injectable } from '@nestjs/common';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { UserRepository } from '../../orchestrator/identity/user.repository.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import { DiscordChannelRepository } from './discord-channel.repository.js';

/** Bindings are re-read this often, so a channel created in one process is known to all of them. */
const REFRESH_MS = 15_000;

/** What creating a channel needs from Discord itself (the adapter's REST client). */
export interface ChannelCreator {
  createTextChannel(guildId: string, channel: { name: string; topic: string; reason: string }): Promise<string>;
}

/**
 * Discord channels bound to one agent: which agent a channel speaks to (DISCORD_AGENT_CHANNELS, and
 * channels paios created on request), and the rules for creating one: paired people only, one
 * channel per agent and server, named for the agent.
 */
@Injectable()
export class DiscordAgentChannels {
  private bound = new Map<string, number>();
  private loadedAt = -Infinity;

  constructor(
    private readonly channels: DiscordChannelRepository,
    private readonly users: UserRepository,
    private readonly registry: AgentRegistry,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  async agentFor(channelId: string): Promise<number | undefined> {
    const configured = this.config.discord?.agentChannels[channelId];
    if (configured !== undefined) return configured;
    const now = Date.now();
    if (now - this.loadedAt > REFRESH_MS) {
      this.bound = await this.channels.all();
      this.loadedAt = now;
    }
    return this.bound.get(channelId);
  }

  /** "create a channel for #15": a text channel named for the agent, bound to it. Returns the answer. */
  async create(
    request: { platformUserId: string; guildId: string; agentNumber: number },
    discord: ChannelCreator,
  ): Promise<string> {
    const { platformUserId, guildId, agentNumber } = request;
    const user = await this.users.findByIdentity({ platform: 'discord', platformUserId, workspace: '' });
    if (!user)
      return 'Only people paired with this paios can create agent channels; send me a message to get a pairing code.';
    const agent = this.registry.get(agentNumber);
    if (!agent) return `There is no agent #${agentNumber}.`;
    const already = await this.channels.findInGuild(guildId, agentNumber);
    if (already) return `Agent #${agentNumber} already has a channel here: <#${already}>.`;
    const channelId = await discord.createTextChannel(guildId, {
      name: `agent-${agentNumber}-${agent.name}`.slice(0, 100),
      topic: `#${agentNumber} ${agent.name}: ${agent.description}`.slice(0, 1024),
      reason: `paios: channel for agent #${agentNumber}`,
    });
    await this.channels.bind({ channelId, guildId, agentNumber, createdBy: user.id });
    this.bound.set(channelId, agentNumber);
    return `Created <#${channelId}>: everything said there goes to #${agentNumber} ${agent.name}.`;
  }
}
