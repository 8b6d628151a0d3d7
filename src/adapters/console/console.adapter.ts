import { Injectable, type OnModuleInit } from '@nestjs/common';
import { SystemEvents } from '../../orchestrator/events/system-events.js';
import type { AdapterStatus, ChatAdapter, ChatAddress, Reply } from '../chat.contract.js';
import { AdapterHub } from '../core/adapter-hub.js';

/**
 * The console: the CLI (`paios chat`), REST (`POST /api/chat`) and any Socket.io client. Its address
 * is the paios user itself; outbound messages (digests, follow-ups) reach the user's connected
 * clients as the `chat:message` event.
 */
@Injectable()
export class ConsoleAdapter implements ChatAdapter, OnModuleInit {
  readonly platform = 'console' as const;

  constructor(
    private readonly hub: AdapterHub,
    private readonly events: SystemEvents,
  ) {}

  onModuleInit(): void {
    this.hub.register(this);
  }

  status(): AdapterStatus {
    return { platform: 'console', state: 'ready', modes: ['rest', 'socket.io', 'cli'] };
  }

  send(address: ChatAddress, reply: Reply): Promise<void> {
    this.events.emit('chat:message', address.channel, { text: reply.text, attachments: reply.attachments });
    return Promise.resolve();
  }
}
