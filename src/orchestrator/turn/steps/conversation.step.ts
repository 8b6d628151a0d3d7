import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../common/clock.js';
import { ChatProgress } from '../chat-progress.js';
import { PAIOS_CONFIG } from '../../../config/config.module.js';
import type { PaiosConfig } from '../../../config/config.schema.js';
import { choiceCommand } from '../../conversation/choice-matcher.js';
import { ConversationService, type ConversationTurn } from '../../conversation/conversation.service.js';
import { plainText } from '../../../common/markdown.js';
import { VoiceSettingsRepository } from '../../voice/voice-settings.repository.js';
import { VoiceService } from '../../voice/voice.service.js';
import type { ChatCapabilities, Reply } from '../turn.contract.js';
import {
  chatKey,
  conversationKey,
  answer,
  type Next,
  type TurnContext,
  type TurnStep,
  showActivity,
  userOf,
} from '../turn.context.js';
import { SECRET_PROMPTS, type SecretPromptStore } from '../turn.ports.js';

/** Where no modal exists, the next message answers a request for a secret. */
const SECRET_ENTRY_HINT: Record<ChatCapabilities['secretEntry'], string> = {
  modal: '',
  'next-message-deleted': '\n\nSend it as your next message: I delete it at once. Or say "cancel".',
  'next-message-hidden': '\n\nSend it as your next message (the command line does not show it), or "cancel".',
};

/**
 * One conversation turn (router, executor, LLM, the question kept for this chat, the memory of this
 * chat or thread), rendered as the Reply with what the turn decides once: a sensitive answer is
 * private, deletes the words that asked and, after a while, itself; a request for a secret opens a
 * prompt; a voice note is answered in speech too (never a sensitive or private answer).
 */
@Injectable()
export class ConversationStep implements TurnStep {
  private readonly logger = new Logger('ChatGateway');

  constructor(
    private readonly conversation: ConversationService,
    @Inject(SECRET_PROMPTS) private readonly prompts: SecretPromptStore,
    private readonly voice: VoiceService,
    private readonly voiceSettings: VoiceSettingsRepository,
    @Inject(PAIOS_CONFIG) private readonly config: Pick<PaiosConfig, 'vault'>,
    private readonly clock: Clock,
  ) {}

  async run(ctx: TurnContext, next: Next): Promise<void> {
    const { msg } = ctx;
    await showActivity(ctx, 'typing');
    const progress = new ChatProgress((text) => ctx.outlet.reply({ text: `_${text}_` }), this.clock);
    const turn = await this.conversation.handle({
      userId: userOf(ctx).id,
      text: ctx.text,
      channelAgent: msg.agentHint,
      origin: ctx.origin,
      caller: { kind: 'chat', platform: msg.address.platform, direct: msg.direct, address: msg.address },
      chat: chatKey(msg.address),
      conversation: conversationKey(msg.address),
      onProgress: progress.say,
      // Interim messages while the model works through several tools ("List clients… (step 2/5)").
      progress: (text) => ctx.outlet.reply({ text }),
    });
    await progress.settle();
    const voiced = ctx.origin.inputKind === 'voice';
    const reply = renderTurn(turn, voiced ? ctx.text : undefined, this.config.vault.revealSeconds);
    const asked = turn.response?.secretPrompt;
    if (asked) {
      const prompt = await this.prompts.open({
        userId: userOf(ctx).id,
        agentNumber: turn.decision.agentNumber!,
        tool: asked.tool,
        parameter: asked.parameter,
        label: asked.label,
        address: ctx.msg.address,
      });
      reply.secretPrompt = {
        token: prompt.token,
        label: prompt.label,
        repeat: asked.tool !== turn.decision.tool || undefined,
      };
      delete reply.deleteAfterSeconds;
      reply.text += SECRET_ENTRY_HINT[ctx.capabilities.secretEntry];
    }
    if (voiced && !turn.sensitive && !reply.ephemeral) await this.speak(ctx, turn.reply, reply);
    answer(ctx, reply);
    await next();
  }

  /** Adds the spoken answer, for whoever has not turned it off, where the platform can deliver it. */
  private async speak(ctx: TurnContext, words: string, reply: Reply): Promise<void> {
    if (!this.voice.canSpeak || !ctx.capabilities.supportsVoiceReply) return;
    const settings = await this.voiceSettings.get(userOf(ctx).id);
    if (!settings.spokenReplies) return;
    await showActivity(ctx, 'recording_voice');
    try {
      const spoken = await this.voice.speak(plainText(words), settings);
      reply.voice = { filename: spoken.filename, mimeType: spoken.mimeType, data: spoken.data.toString('base64') };
    } catch (err) {
      this.logger.warn(`no spoken reply: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** A conversation turn as a Reply: the answer (quoting what was heard), its files, and buttons for a question. */
export function renderTurn(turn: ConversationTurn, heard: string | undefined, revealSeconds: number): Reply {
  const quoted = heard ? `> 🎙 ${heard}\n\n` : '';
  const reply: Reply = {
    text: quoted + turn.reply,
    attachments: turn.response?.attachments,
    buttons: turn.response?.buttons,
    unsuccessful: turn.response?.success !== true || undefined,
  };
  const choices = turn.decision.clarification?.choices ?? [];
  if (choices.length > 0) {
    // A button answers the question kept for this chat, like typing its number; the request it was
    // about is re-run on the chosen tool. A request that was not kept (it may hold a secret) only
    // names the tool.
    const pendingId = turn.pendingChoiceId;
    reply.buttons = choices.slice(0, 5).map((c, i) => ({
      label: `${i + 1}. #${c.agentNumber} ${c.description || c.tool}`.slice(0, 75),
      value: pendingId ? choiceCommand(pendingId, i + 1) : `#${c.agentNumber} ${c.tool}`,
    }));
  }
  if (turn.sensitive) {
    // Private; the words that asked (they may hold the secret) and, after a while, the answer go.
    reply.ephemeral = true;
    reply.deleteInbound = true;
    if (turn.response?.success) reply.deleteAfterSeconds = revealSeconds;
  }
  return reply;
}
