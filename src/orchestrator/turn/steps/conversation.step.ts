import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock.js';
import { ConversationService } from '../../conversation/conversation.service.js';
import { ChatProgress } from '../chat-progress.js';
import {
  chatKey,
  conversationKey,
  type Next,
  type TurnContext,
  type TurnStep,
  showActivity,
  userOf,
} from '../turn.context.js';

/**
 * One conversation turn (router, executor, LLM, the question kept for this chat, the memory of this
 * chat or thread); the reply policy renders it. A long tool's progress goes to the chat as it comes
 * (throttled), through the turn's outlet, and all of it before the answer.
 */
@Injectable()
export class ConversationStep implements TurnStep {
  constructor(
    private readonly conversation: ConversationService,
    private readonly clock: Clock,
  ) {}

  async run(ctx: TurnContext, next: Next): Promise<void> {
    const { msg } = ctx;
    await showActivity(ctx, 'typing');
    const progress = new ChatProgress((text) => ctx.outlet.reply({ text: `_${text}_` }), this.clock);
    ctx.turn = await this.conversation.handle({
      userId: userOf(ctx).id,
      text: ctx.text,
      channelAgent: msg.agentHint,
      origin: ctx.origin,
      caller: { kind: 'chat', platform: msg.address.platform, direct: msg.direct, address: msg.address },
      chat: chatKey(msg.address),
      conversation: conversationKey(msg.address),
      onProgress: progress.say,
    });
    await progress.settle();
    await next();
  }
}
