import { Inject, Injectable } from '@nestjs/common';
import { PAIOS_CONFIG } from '../../../config/config.module.js';
import type { PaiosConfig } from '../../../config/config.schema.js';
import { answer, type Next, type TurnContext, type TurnStep, userOf } from '../turn.context.js';
import { TURN_RATE_LIMITER, type TurnRateLimiter } from '../turn.ports.js';

/** Messages per person per minute: past the limit nothing runs, and only the first refusal is answered. */
@Injectable()
export class RateLimitStep implements TurnStep {
  constructor(
    @Inject(TURN_RATE_LIMITER) private readonly limiter: TurnRateLimiter,
    @Inject(PAIOS_CONFIG) private readonly config: Pick<PaiosConfig, 'chat'>,
  ) {}

  async run(ctx: TurnContext, next: Next): Promise<void> {
    const rate = await this.limiter.hit(userOf(ctx).id);
    if (rate.allowed) return next();
    ctx.outcome = 'rate_limited';
    if (rate.firstRefusal)
      answer(
        ctx,
        {
          ephemeral: true,
          text: `That's more than ${this.config.chat.rateLimitPerMinute} messages a minute; I'll listen again in ${rate.retryAfterSeconds} s.`,
        },
        'rate_limited',
      );
  }
}
