import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ExecutorService } from '../executor/executor.service.js';
import { ChatIdentity, type ChatSender } from './chat-identity.js';
import type { Reply, Responder } from './turn.contract.js';
import type { TurnOutcome } from './turn.context.js';
import { SECRET_PROMPTS, type OpenPrompt, type SecretPromptStore } from './turn.ports.js';

/** A secret entered in a modal (Slack, Discord): for the prompt behind `token`. */
export interface SecretSubmission extends ChatSender {
  token: string;
  value: string;
  direct: boolean;
}

/**
 * Answers to a secret paios asked for (a master password): the value goes to the tool that asked,
 * once, and the answer is private. The history keeps the call, never the value.
 */
@Injectable()
export class SecretAnswers {
  private readonly logger = new Logger('ChatGateway');

  constructor(
    private readonly identity: ChatIdentity,
    private readonly executor: ExecutorService,
    @Inject(SECRET_PROMPTS) private readonly prompts: SecretPromptStore,
  ) {}

  /** Passes the entered secret to the tool that asked for it. */
  async answer(
    userId: string,
    prompt: OpenPrompt,
    value: string,
    direct: boolean,
    extra: Partial<Reply>,
  ): Promise<Reply> {
    const response = await this.executor.execute({
      userId,
      agentNumber: prompt.agentNumber,
      tool: prompt.tool,
      parameters: { [prompt.parameter]: value },
      origin: { channel: prompt.address.platform, inputKind: 'text' },
      caller: { kind: 'chat', platform: prompt.address.platform, direct },
    });
    const text = response.success ? (response.text ?? 'done') : `Sorry: ${response.error ?? 'that failed'}`;
    return { ...extra, text, ephemeral: true, unsuccessful: response.success ? undefined : true };
  }

  /** A modal's submission: checked to belong to this account, used once, answered privately. Never throws. */
  async submit(s: SecretSubmission, outlet: Responder): Promise<TurnOutcome> {
    try {
      const user = await this.identity.identify(s);
      const prompt = await this.prompts.peek(s.token);
      if (!user || !prompt || prompt.userId !== user.id) {
        await outlet.reply({ ephemeral: true, text: 'That request has expired; ask again.' });
        return 'failed';
      }
      await this.prompts.takeByToken(s.token);
      await outlet.reply(await this.answer(user.id, prompt, s.value, s.direct, {}));
      return 'answered';
    } catch (err) {
      const ref = randomUUID().slice(0, 8);
      this.logger.error(`secret submission failed (ref ${ref}): ${err instanceof Error ? err.name : 'error'}`);
      await outlet
        .reply({ ephemeral: true, text: `Something went wrong on my side (ref ${ref}).` })
        .catch(() => undefined);
      return 'failed';
    }
  }

  /** Whether a modal for this token may be shown to this sender (the prompt is open and theirs). */
  async promptFor(s: ChatSender, token: string): Promise<OpenPrompt | undefined> {
    const user = await this.identity.identify(s);
    const prompt = await this.prompts.peek(token);
    return user && prompt?.userId === user.id ? prompt : undefined;
  }
}
