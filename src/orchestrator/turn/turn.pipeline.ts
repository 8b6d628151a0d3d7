import { Injectable } from '@nestjs/common';
import { ChatIdentity } from './chat-identity.js';
import { PairingApprovalCommand } from './commands/pairing-approval.command.js';
import { SecretAnswers } from './secret-answers.service.js';
import { ChatCommandsStep } from './steps/chat-commands.step.js';
import { ConversationStep } from './steps/conversation.step.js';
import { DedupeStep } from './steps/dedupe.step.js';
import { IdentityStep } from './steps/identity.step.js';
import { OutStep } from './steps/out.step.js';
import { PendingPromptStep } from './steps/pending-prompt.step.js';
import { RateLimitStep } from './steps/rate-limit.step.js';
import { ReplyPolicyStep } from './steps/reply-policy.step.js';
import { TurnLimitStep } from './steps/turn-limit.step.js';
import { VoiceIntakeStep } from './steps/voice-intake.step.js';
import type { ChatCapabilities, InboundMessage, Responder } from './turn.contract.js';
import { compose, newTurnContext, type TurnContext, type TurnOutcome } from './turn.context.js';

/**
 * The turn: one chat message through small steps sharing one context, each free to answer and stop.
 * dedupe -> turn limit -> out (sends whatever reply the steps below decide on, answers failures) ->
 * identity/pairing -> rate limit -> pending secret prompt -> voice intake -> chat commands ->
 * conversation -> reply policy. It never names a platform: what differs is in `ChatCapabilities`.
 */
@Injectable()
export class TurnPipeline {
  private readonly chain: (ctx: TurnContext) => Promise<void>;

  constructor(
    dedupe: DedupeStep,
    limit: TurnLimitStep,
    out: OutStep,
    identity: IdentityStep,
    rate: RateLimitStep,
    pending: PendingPromptStep,
    voice: VoiceIntakeStep,
    commands: ChatCommandsStep,
    conversation: ConversationStep,
    policy: ReplyPolicyStep,
  ) {
    this.chain = compose([dedupe, limit, out, identity, rate, pending, voice, commands, conversation, policy]);
  }

  /** Runs one message; `outlet` is the only way back to the platform. Never throws past dedupe. */
  async run(msg: InboundMessage, outlet: Responder, capabilities: ChatCapabilities): Promise<TurnOutcome> {
    const ctx = newTurnContext(msg, outlet, capabilities);
    await this.chain(ctx);
    return ctx.outcome;
  }
}

/** Everything the turn needs from Nest, for the module that hosts it (it binds the ports too). */
export const TURN_PROVIDERS = [
  ChatIdentity,
  SecretAnswers,
  PairingApprovalCommand,
  DedupeStep,
  TurnLimitStep,
  OutStep,
  IdentityStep,
  RateLimitStep,
  PendingPromptStep,
  VoiceIntakeStep,
  ChatCommandsStep,
  ConversationStep,
  ReplyPolicyStep,
  TurnPipeline,
];
