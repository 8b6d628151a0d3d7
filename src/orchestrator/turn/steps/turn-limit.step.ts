import { Inject, Injectable } from '@nestjs/common';
import pLimit, { type LimitFunction } from 'p-limit';
import { PAIOS_CONFIG } from '../../../config/config.module.js';
import type { PaiosConfig } from '../../../config/config.schema.js';
import type { Next, TurnContext, TurnStep } from '../turn.context.js';

/** Bounds the turns in progress (CHAT_CONCURRENCY): under a burst, earlier messages finish first instead of all crawling. */
@Injectable()
export class TurnLimitStep implements TurnStep {
  private readonly turns: LimitFunction;

  constructor(@Inject(PAIOS_CONFIG) config: Pick<PaiosConfig, 'chat'>) {
    this.turns = pLimit(config.chat.concurrency);
  }

  async run(_ctx: TurnContext, next: Next): Promise<void> {
    await this.turns(next);
  }
}
