import { Injectable } from '@nestjs/common';
import { SecretAnswers } from '../../orchestrator/turn/secret-answers.service.js';
import type { TurnOutcome } from '../../orchestrator/turn/turn.context.js';
import { TurnPipeline } from '../../orchestrator/turn/turn.pipeline.js';
import type { OpenPrompt } from '../../orchestrator/turn/turn.ports.js';
import type { ChatAddress, InboundMessage, Platform, Responder } from '../chat.contract.js';
import { CHAT_CAPABILITIES } from './chat-capabilities.js';

export type GatewayOutcome = TurnOutcome;
export { chatKey } from '../../orchestrator/turn/turn.context.js';

/**
 * Where every chat adapter hands a message, whatever the platform. A facade: it adds what the
 * adapter declared it can do (CHAT_CAPABILITIES) and runs the turn pipeline (src/orchestrator/turn),
 * which answers only through the Responder the adapter gives it.
 */
@Injectable()
export class ChatGateway {
  constructor(
    private readonly pipeline: TurnPipeline,
    private readonly secrets: SecretAnswers,
  ) {}

  /**
   * Takes one inbound message and answers it through `responder`. Adapters acknowledge the platform
   * first and do not await this past the platform's deadline. Never throws: failures are answered.
   */
  receive(msg: InboundMessage, responder: Responder): Promise<GatewayOutcome> {
    return this.pipeline.run(msg, responder, CHAT_CAPABILITIES[msg.platform]);
  }

  /**
   * A secret entered in a modal (Slack, Discord) for the prompt behind `token`: checked to belong to
   * this platform account, used once, and answered privately. Never throws.
   */
  submitSecret(
    submission: {
      platform: Platform;
      senderId: string;
      address: ChatAddress;
      token: string;
      value: string;
      direct: boolean;
    },
    responder: Responder,
  ): Promise<GatewayOutcome> {
    return this.secrets.submit({ ...submission, capabilities: CHAT_CAPABILITIES[submission.platform] }, responder);
  }

  /** Whether a modal for this token may be shown to this account (the prompt is open and theirs). */
  promptFor(
    platform: Platform,
    senderId: string,
    address: ChatAddress,
    token: string,
  ): Promise<OpenPrompt | undefined> {
    return this.secrets.promptFor({ platform, senderId, address, capabilities: CHAT_CAPABILITIES[platform] }, token);
  }
}
