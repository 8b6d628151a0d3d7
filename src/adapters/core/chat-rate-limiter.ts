import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { REDIS_CLIENT } from '../../database/redis.module.js';

const WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  /** When refused: seconds until the window resets. */
  retryAfterSeconds: number;
  /** The first refused message of this window: the one worth answering ("slow down"). */
  firstRefusal: boolean;
}

/**
 * Messages per person per minute across every chat platform (CHAT_RATE_LIMIT_PER_MINUTE): a fixed
 * window counted in Redis in server mode, so all app processes share it, or in memory.
 */
@Injectable()
export class ChatRateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  async hit(userId: string): Promise<RateDecision> {
    const limit = this.config.chat.rateLimitPerMinute;
    if (this.redis) {
      const key = `${this.config.redis.prefix}:chat:rate:${userId}`;
      const [[, count], [, ttl]] = (await this.redis.multi().incr(key).pttl(key).exec()) as [
        [Error | null, number],
        [Error | null, number],
      ];
      if (ttl < 0) await this.redis.pexpire(key, WINDOW_MS);
      const left = ttl < 0 ? WINDOW_MS : ttl;
      return { allowed: count <= limit, retryAfterSeconds: Math.ceil(left / 1000), firstRefusal: count === limit + 1 };
    }
    const now = Date.now();
    let w = this.windows.get(userId);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + WINDOW_MS };
      this.windows.set(userId, w);
    }
    w.count += 1;
    return {
      allowed: w.count <= limit,
      retryAfterSeconds: Math.ceil((w.resetAt - now) / 1000),
      firstRefusal: w.count === limit + 1,
    };
  }
}
