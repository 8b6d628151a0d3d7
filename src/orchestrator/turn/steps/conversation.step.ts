import { Injectable } from '@nestjs/common';
import { ConversationService } from '../../conversation/conversation.service.js';
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
 * chat or thread); the reply policy renders it.
 */
@Injectable()
export class ConversationStep implements TurnStep {
  constructor(private readonly conversation: ConversationService) {}

  async run(ctx: TurnContext, next: Next): Promise<void> {
    const { msg } = ctx;
    await showActivity(ctx, 'typing');
    ctx.turn = await this.conversation.handle({
      userId: userOf(ctx).id,
      text: ctx.text,
      channelAgent: msg.agentHint,
      origin: ctx.origin,
      caller: { kind: 'chat', platform: msg.address.platform, direct: msg.direct, address: msg.address },
      chat: chatKey(msg.address),
      conversation: conversationKey(msg.address),
      // Interim messages while the model works through several tools ("List clients… (step 2/5)").
      progress: (text) => ctx.outlet.reply({ text }),
    });
    await next();
  }
}
