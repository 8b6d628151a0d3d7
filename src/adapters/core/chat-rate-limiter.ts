import { Inject, Injectable } from '@nestjs/common';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { KeyValueStore } from '../../orchestrator/kv/key-value-store.port.js';

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
 * window counted in the KeyValueStore, so in server mode all app processes share it.
 */
@Injectable()
export class ChatRateLimiter {
  constructor(
    private readonly kv: KeyValueStore,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  async hit(userId: string): Promise<RateDecision> {
    const limit = this.config.chat.rateLimitPerMinute;
    const { count, ttlMs } = await this.kv.increment(`chat:rate:${userId}`, WINDOW_MS);
    return { allowed: count <= limit, retryAfterSeconds: Math.ceil(ttlMs / 1000), firstRefusal: count === limit + 1 };
  }
}
