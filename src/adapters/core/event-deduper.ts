import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { REDIS_CLIENT } from '../../database/redis.module.js';

/** Platforms retry deliveries for minutes (Slack up to 3 times, Telegram until a 200); a day is ample. */
const KEEP_SECONDS = 24 * 60 * 60;
const MEMORY_LIMIT = 50_000;

/**
 * Remembers which platform events were already taken, so a retried Slack event, a re-sent Telegram
 * update or a message seen by two gateway connections is answered once. Redis (shared by every app
 * process) in server mode, memory in embedded mode.
 */
@Injectable()
export class EventDeduper {
  private readonly seen = new Map<string, number>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  /** True the first time this (platform, id) is offered; false for every repeat. */
  async claim(platform: string, eventId: string): Promise<boolean> {
    const key = `${platform}:${eventId}`;
    if (this.redis) {
      const ok = await this.redis.set(`${this.config.redis.prefix}:chat:event:${key}`, '1', 'EX', KEEP_SECONDS, 'NX');
      return ok === 'OK';
    }
    const now = Date.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    if (this.seen.size >= MEMORY_LIMIT) this.evict(now);
    this.seen.set(key, now + KEEP_SECONDS * 1000);
    return true;
  }

  private evict(now: number): void {
    for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
    // Still full of live entries: drop the oldest tenth (Map keeps insertion order).
    if (this.seen.size >= MEMORY_LIMIT) {
      let n = Math.ceil(MEMORY_LIMIT / 10);
      for (const k of this.seen.keys()) {
        if (n-- <= 0) break;
        this.seen.delete(k);
      }
    }
  }
}
