import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Next, TurnContext, TurnStep } from '../turn.context.js';

/**
 * The way out: after the rest of the turn, sends the one reply a step decided on, through the outlet.
 * A turn never throws at the adapter: a failure is logged with a reference and answered with it.
 */
@Injectable()
export class OutStep implements TurnStep {
  private readonly logger = new Logger('ChatGateway');

  async run(ctx: TurnContext, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.reply) await ctx.outlet.reply(ctx.reply);
    } catch (err) {
      const ref = randomUUID().slice(0, 8);
      this.logger.error(
        `message ${ctx.msg.platform}:${ctx.msg.eventId} failed (ref ${ref}): ${err instanceof Error ? err.message : String(err)}`,
      );
      await ctx.outlet
        .reply({ text: `Something went wrong on my side (ref ${ref}); nothing was lost, please try again.` })
        .catch(() => undefined);
      ctx.outcome = 'failed';
    }
  }
}
