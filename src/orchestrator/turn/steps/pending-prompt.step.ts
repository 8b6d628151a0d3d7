import { Inject, Injectable } from '@nestjs/common';
import { SecretAnswers } from '../secret-answers.service.js';
import { answer, type Next, type TurnContext, type TurnStep, userOf } from '../turn.context.js';
import { SECRET_PROMPTS, type SecretPromptStore } from '../turn.ports.js';

/**
 * A secret was asked for in this chat (where no modal exists): this message is the answer, not a
 * command. It goes to the tool that asked, once; the message that held it is deleted where possible.
 */
@Injectable()
export class PendingPromptStep implements TurnStep {
  constructor(
    @Inject(SECRET_PROMPTS) private readonly prompts: SecretPromptStore,
    private readonly secrets: SecretAnswers,
  ) {}

  async run(ctx: TurnContext, next: Next): Promise<void> {
    const user = userOf(ctx);
    const { msg } = ctx;
    if (!(await this.prompts.isOpen(msg.address, user.id))) return next();
    if (msg.audio) {
      answer(ctx, { ephemeral: true, text: 'Type it instead: I do not take passwords as voice notes.' });
      return;
    }
    const prompt = await this.prompts.takeForChat(msg.address, user.id);
    // Taken by another delivery in between: still a secret, so never treat it as a command.
    if (!prompt) {
      answer(ctx, { ephemeral: true, deleteInbound: true, text: 'That request has expired; ask again.' });
      return;
    }
    if (/^\s*cancel\s*$/i.test(msg.text ?? '')) {
      answer(ctx, { ephemeral: true, text: 'Cancelled.' });
      return;
    }
    answer(ctx, await this.secrets.answer(user.id, prompt, msg.text ?? '', msg.direct, { deleteInbound: true }));
  }
}
