import { Inject, Injectable } from '@nestjs/common';
import type { Next, TurnContext, TurnStep } from '../turn.context.js';
import { TURN_DEDUPER, type TurnDeduper } from '../turn.ports.js';

/** A platform event delivered again (a Slack retry, a re-sent Telegram update) ends here, unanswered. */
@Injectable()
export class DedupeStep implements TurnStep {
  constructor(@Inject(TURN_DEDUPER) private readonly deduper: TurnDeduper) {}

  async run(ctx: TurnContext, next: Next): Promise<void> {
    if (!(await this.deduper.claim(ctx.msg.platform, ctx.msg.eventId))) {
      ctx.outcome = 'duplicate';
      return;
    }
    await next();
  }
}
