import { type DynamicModule, Module } from '@nestjs/common';
import type { PaiosConfig } from '../../config/config.schema.js';
import type { ProcessRole } from '../../config/process-role.js';
import { DiscordChannels } from './discord-channels.js';
import { DiscordAdapter } from './discord.adapter.js';
import { DiscordInteractionsController } from './discord.controller.js';

/** Discord: the gateway bot and interactions endpoint in the server, REST sending everywhere. */
@Module({})
export class DiscordModule {
  static forRoot(_config: PaiosConfig, role: ProcessRole): DynamicModule {
    return {
      module: DiscordModule,
      providers: [DiscordChannels, DiscordAdapter],
      controllers: role === 'server' ? [DiscordInteractionsController] : [],
      exports: [DiscordAdapter],
    };
  }
}
