import { type DynamicModule, Module } from '@nestjs/common';
import type { PaiosConfig } from '../../config/config.schema.js';
import type { ProcessRole } from '../../config/process-role.js';
import { TelegramAdapter } from './telegram.adapter.js';
import { TelegramWebhookController } from './telegram.controller.js';

/**
 * Telegram: the adapter in every role (outbound digests from workers), the webhook controller only
 * in the server and only when a webhook secret is configured (else the server long-polls).
 */
@Module({})
export class TelegramModule {
  static forRoot(config: PaiosConfig, role: ProcessRole): DynamicModule {
    const webhook = role === 'server' && !!config.telegram?.webhookSecret;
    return {
      module: TelegramModule,
      providers: [TelegramAdapter],
      exports: [TelegramAdapter],
      controllers: webhook ? [TelegramWebhookController] : [],
    };
  }
}
