import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { PaiosConfig } from '../config/config.schema.js';
import { PROCESS_ROLE, type ProcessRole } from '../config/process-role.js';
import { ConsoleAdapter } from './console/console.adapter.js';
import { AdapterHub } from './core/adapter-hub.js';
import { ChatGateway } from './core/chat-gateway.service.js';
import { EventDeduper } from './core/event-deduper.js';
import { PairingService } from '../orchestrator/identity/pairing.service.js';
import { SecretPrompts } from './core/secret-prompts.js';
import { DigestService } from './digests/digest.service.js';
import { CHAT_STATUS } from '../orchestrator/system/chat-status.port.js';
import { USER_NOTIFIER } from '../orchestrator/notifications/user-notifier.port.js';
import { ChatNotifier } from './core/chat-notifier.js';
import { PairingApprovalCommand } from '../orchestrator/turn/commands/pairing-approval.command.js';
import { LlmUsageCommand } from '../orchestrator/llm/llm-usage.command.js';
import { TURN_PROVIDERS } from '../orchestrator/turn/turn.pipeline.js';
import { CHAT_COMMANDS, type ChatCommand, SECRET_PROMPTS, TURN_DEDUPER } from '../orchestrator/turn/turn.ports.js';

/** What every platform adapter uses: the gateway and its turn pipeline, dedupe, pairing, the hub, digests. */
@Global()
@Module({})
export class ChatCoreModule {
  static forRoot(role: ProcessRole): DynamicModule {
    const providers = [
      { provide: PROCESS_ROLE, useValue: role },
      AdapterHub,
      EventDeduper,
      PairingService,
      SecretPrompts,
      DigestService,
      ...TURN_PROVIDERS,
      { provide: TURN_DEDUPER, useExisting: EventDeduper },
      { provide: SECRET_PROMPTS, useExisting: SecretPrompts },
      {
        // Answered before the conversation, in this order: pairing approvals, digest schedules, AI use.
        provide: CHAT_COMMANDS,
        useFactory: (...commands: ChatCommand[]): ChatCommand[] => commands,
        inject: [PairingApprovalCommand, DigestService, LlmUsageCommand],
      },
      ChatGateway,
      ConsoleAdapter,
      { provide: CHAT_STATUS, useExisting: AdapterHub },
      ChatNotifier,
      { provide: USER_NOTIFIER, useExisting: ChatNotifier },
    ];
    return { module: ChatCoreModule, providers, exports: providers };
  }
}

/**
 * Chat adapters. Each platform starts only when its credentials are configured; in the server its
 * listeners run (webhooks, Socket Mode, polling, the Discord gateway), in workers only its outbound
 * side (digests and follow-ups sent from jobs).
 */
@Module({})
export class AdaptersModule {
  static forRoot(config: PaiosConfig, role: ProcessRole): DynamicModule {
    // Each platform's SDK is loaded only when the platform is configured: Bolt, discord.js and grammY
    // together add about a second to every process start (CLI commands included) otherwise.
    const platforms: Promise<DynamicModule>[] = [];
    if (config.slack)
      platforms.push(import('./slack/slack.module.js').then((m) => m.SlackModule.forRoot(config, role)));
    if (config.telegram)
      platforms.push(import('./telegram/telegram.module.js').then((m) => m.TelegramModule.forRoot(config, role)));
    if (config.discord)
      platforms.push(import('./discord/discord.module.js').then((m) => m.DiscordModule.forRoot(config, role)));
    return {
      module: AdaptersModule,
      imports: [ChatCoreModule.forRoot(role), ...platforms],
    };
  }
}
