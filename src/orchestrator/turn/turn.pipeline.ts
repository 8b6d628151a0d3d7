import { Inject, Injectable, Logger } from '@nestjs/common';
import pLimit, { type LimitFunction } from 'p-limit';
import { randomUUID } from 'node:crypto';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { ChatIdentity } from './chat-identity.js';
import { PairingApprovalCommand } from './commands/pairing-approval.command.js';
import { SecretAnswers } from './secret-answers.service.js';
import { AdmissionStep } from './steps/admission.step.js';
import { ChatCommandsStep } from './steps/chat-commands.step.js';
import { ConversationStep } from './steps/conversation.step.js';
import { PendingPromptStep } from './steps/pending-prompt.step.js';
import { VoiceIntakeStep } from './steps/voice-intake.step.js';
import type { ChatCapabilities, TurnMessage, Responder } from './turn.contract.js';
import { compose, newTurnContext, type TurnContext, type TurnOutcome, type TurnStep } from './turn.context.js';
import { TURN_DEDUPER, type TurnDeduper } from './turn.ports.js';

/**
 * The turn: one chat message through small steps sharing one context, each free to answer and stop.
 * The pipeline itself takes each platform event once (a re-delivery ends unanswered), bounds the turns
 * in progress (CHAT_CONCURRENCY: under a burst, earlier messages finish first instead of all
 * crawling), and sends the one reply the steps decided on through the outlet, the only way back to
 * the platform; a failure is logged with a reference and answered with it, never thrown at the
 * adapter. The steps: admission (who, how often) -> pending secret prompt -> voice intake -> chat
 * commands -> conversation (asked, and its answer rendered). It never names a platform: what differs
 * is in `ChatCapabilities`.
 */
@Injectable()
export class TurnPipeline {
  private readonly logger = new Logger('ChatGateway');
  private readonly chain: (ctx: TurnContext) => Promise<void>;
  private readonly turns: LimitFunction;

  constructor(
    @Inject(TURN_DEDUPER) private readonly deduper: TurnDeduper,
    @Inject(PAIOS_CONFIG) config: Pick<PaiosConfig, 'chat'>,
    admission: AdmissionStep,
    pending: PendingPromptStep,
    voice: VoiceIntakeStep,
    commands: ChatCommandsStep,
    conversation: ConversationStep,
  ) {
    this.turns = pLimit(config.chat.concurrency);
    this.chain = compose([admission, pending, voice, commands, conversation] satisfies TurnStep[]);
  }

  /** Runs one message; `outlet` is the only way back to the platform. Never throws past the dedupe. */
  async run(msg: TurnMessage, outlet: Responder, capabilities: ChatCapabilities): Promise<TurnOutcome> {
    if (!(await this.deduper.claim(msg.platform, msg.eventId))) return 'duplicate';
    const ctx = newTurnContext(msg, outlet, capabilities);
    await this.turns(() => this.answer(ctx));
    return ctx.outcome;
  }

  /** The steps, then the one reply they decided on (none for a refusal past the first). */
  private async answer(ctx: TurnContext): Promise<void> {
    try {
      await this.chain(ctx);
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

/** Everything the turn needs from Nest, for the module that hosts it (it binds the ports too). */
export const TURN_PROVIDERS = [
  ChatIdentity,
  SecretAnswers,
  PairingApprovalCommand,
  AdmissionStep,
  PendingPromptStep,
  VoiceIntakeStep,
  ChatCommandsStep,
  ConversationStep,
  TurnPipeline,
];
