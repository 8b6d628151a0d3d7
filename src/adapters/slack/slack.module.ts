import { type DynamicModule, Module } from '@nestjs/common';
import type { PaiosConfig } from '../../config/config.schema.js';
import type { ProcessRole } from '../../config/process-role.js';
import { SlackAdapter } from './slack.adapter.js';
import { SlackEventsController } from './slack.controller.js';

/** Slack: listeners and the webhook in the server, outbound sending everywhere. */
@Module({})
export class SlackModule {
  static forRoot(_config: PaiosConfig, role: ProcessRole): DynamicModule {
    return {
      module: SlackModule,
      providers: [SlackAdapter],
      controllers: role === 'server' ? [SlackEventsController] : [],
      exports: [SlackAdapter],
    };
  }
}
