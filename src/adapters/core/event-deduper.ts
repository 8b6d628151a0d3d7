import { Injectable } from '@nestjs/common';
import { KeyValueStore } from '../../orchestrator/kv/key-value-store.port.js';

/** Platforms retry deliveries for minutes (Slack up to 3 times, Telegram until a 200); a day is ample. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/**
 * Remembers which platform events were already taken, so a retried Slack event, a re-sent Telegram
 * update or a message seen by two gateway connections is answered once. Kept in the KeyValueStore:
 * shared by every app process in server mode, process memory in embedded mode.
 */
@Injectable()
export class EventDeduper {
  constructor(private readonly kv: KeyValueStore) {}

  /** True the first time this (platform, id) is offered; false for every repeat. */
  async claim(platform: string, eventId: string): Promise<boolean> {
    return this.kv.setIfAbsent(`chat:event:${platform}:${eventId}`, '1', KEEP_MS);
  }
}
