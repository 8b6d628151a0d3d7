import { Inject, Injectable } from '@nestjs/common';
import { answer, type Next, type TurnContext, type TurnStep, userOf } from '../turn.context.js';
import { CHAT_COMMANDS, type ChatCommand } from '../turn.ports.js';

/**
 * Commands answered before the conversation (pairing approvals, digest schedules): the first command
 * that recognises the words answers; otherwise the turn goes on to the conversation.
 */
@Injectable()
export class ChatCommandsStep implements TurnStep {
  constructor(@Inject(CHAT_COMMANDS) private readonly commands: readonly ChatCommand[]) {}

  async run(ctx: TurnContext, next: Next): Promise<void> {
    const input = { user: userOf(ctx), address: ctx.msg.address, text: ctx.text };
    for (const command of this.commands) {
      const reply = await command.handle(input);
      if (reply) return answer(ctx, reply);
    }
    await next();
  }
}
