import { Injectable, Logger } from '@nestjs/common';
import { SecretAnswers } from '../../orchestrator/turn/secret-answers.service.js';
import type { TurnOutcome } from '../../orchestrator/turn/turn.context.js';
import { TurnPipeline } from '../../orchestrator/turn/turn.pipeline.js';
import type { OpenPrompt } from '../../orchestrator/turn/turn.ports.js';
import type { ChatAddress, HeardAudio, InboundAudio, InboundMessage, Platform, Responder } from '../chat.contract.js';
import { CHAT_CAPABILITIES } from './chat-capabilities.js';

export type GatewayOutcome = TurnOutcome;
export { chatKey } from '../../orchestrator/turn/turn.context.js';

/**
 * Where every chat adapter hands a message, whatever the platform. It fetches the message's audio
 * from the platform, adds what the adapter declared it can do (CHAT_CAPABILITIES) and runs the turn
 * pipeline (src/orchestrator/turn), which reaches the adapter only through the Responder it is given.
 */
@Injectable()
export class ChatGateway {
  private readonly logger = new Logger('ChatGateway');

  constructor(
    private readonly pipeline: TurnPipeline,
    private readonly secrets: SecretAnswers,
  ) {}

  /**
   * Takes one inbound message and answers it through `responder`. Adapters acknowledge the platform
   * first and do not await this past the platform's deadline. Never throws: failures are answered.
   */
  async receive(msg: InboundMessage, responder: Responder): Promise<GatewayOutcome> {
    const audio = msg.audio && (await this.fetch(msg.audio));
    return this.pipeline.run({ ...msg, audio }, responder, CHAT_CAPABILITIES[msg.platform]);
  }

  /** The audio's bytes; a failed download is the turn's to answer ("send it again"), so it goes on without them. */
  private async fetch(audio: InboundAudio): Promise<HeardAudio> {
    const heard = { mimeType: audio.mimeType, filename: audio.filename, durationSeconds: audio.durationSeconds };
    try {
      return { ...heard, data: await audio.load() };
    } catch (err) {
      this.logger.warn(`could not download a voice note: ${err instanceof Error ? err.message : String(err)}`);
      return { ...heard, data: null };
    }
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
