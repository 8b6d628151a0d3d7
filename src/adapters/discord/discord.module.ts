import { type DynamicModule, Module } from '@nestjs/common';
import type { PaiosConfig } from '../../config/config.schema.js';
import type { ProcessRole } from '../../config/process-role.js';
import { DiscordAgentChannels } from './discord-agent-channels.service.js';
import { DiscordChannelRepository } from './discord-channel.repository.js';
import { DiscordAdapter } from './discord.adapter.js';
import { DiscordInteractionsController } from './discord.controller.js';

/** Discord: the gateway bot and interactions endpoint in the server, REST sending everywhere. */
@Module({})
export class DiscordModule {
  static forRoot(_config: PaiosConfig, role: ProcessRole): DynamicModule {
    return {
      module: DiscordModule,
      providers: [DiscordChannelRepository, DiscordAgentChannels, DiscordAdapter],
      controllers: role === 'server' ? [DiscordInteractionsController] : [],
      exports: [DiscordAdapter],
    };
  }
}
