import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { ConversationService, type ConversationTurn } from '../../orchestrator/conversation/conversation.service.js';
import { ExecutorService } from '../../orchestrator/executor/executor.service.js';
import { choiceCommand } from '../../orchestrator/conversation/choice-matcher.js';
import { InteractionRepository, type InteractionOrigin } from '../../orchestrator/executor/interaction.repository.js';
import { UserRepository } from '../../orchestrator/identity/user.repository.js';
import { VoiceError } from '../../orchestrator/voice/speech.port.js';
import { VoiceService } from '../../orchestrator/voice/voice.service.js';
import { VoiceSettingsRepository } from '../../orchestrator/voice/voice-settings.repository.js';
import type { ChatAddress, InboundMessage, Platform, Reply, Responder } from '../chat.contract.js';
import { DigestService } from '../digests/digest.service.js';
import { ChatRateLimiter } from './chat-rate-limiter.js';
import { EventDeduper } from './event-deduper.js';
import { formatCode, PairingService } from './pairing.service.js';
import { SecretPrompts, type OpenPrompt } from './secret-prompts.js';
import { plainText } from './text.js';

export type GatewayOutcome = 'duplicate' | 'pairing' | 'rate_limited' | 'untranscribed' | 'answered' | 'failed';

const APPROVE = /^approve\s+([A-Za-z0-9]{4}-?[A-Za-z0-9]{4})(?:\s+as\s+(\S+@\S+))?\s*$/i;
const RETRY_VOICE = /^(retry|try again)(\s+(that|the|my)?\s*(voice( note)?|recording))?[.!]?$/i;

/** The conversation a chat address holds: per platform, workspace and channel (threads share it). */
export const chatKey = (a: ChatAddress): string => `${a.platform}:${a.workspace}:${a.channel}`;

interface Sender {
  id: string;
  email: string;
}

/**
 * Where every chat message goes, whatever the platform: drop repeats, resolve the platform account
 * to a paios user (unknown accounts get a pairing code and nothing runs), rate-limit, transcribe
 * voice, handle the gateway's own commands (pairing approval, digests, retrying a voice note), then
 * one conversation turn, and the answer as a platform-neutral Reply (spoken too, for voice).
 */
@Injectable()
export class ChatGateway {
  private readonly logger = new Logger('ChatGateway');
  /** Bounds the turns in progress: under a burst, earlier messages finish first instead of all crawling. */
  private readonly turns: LimitFunction;

  constructor(
    private readonly deduper: EventDeduper,
    private readonly limiter: ChatRateLimiter,
    private readonly pairing: PairingService,
    private readonly users: UserRepository,
    private readonly conversation: ConversationService,
    private readonly interactions: InteractionRepository,
    private readonly voice: VoiceService,
    private readonly digests: DigestService,
    private readonly executor: ExecutorService,
    private readonly prompts: SecretPrompts,
    private readonly voiceSettings: VoiceSettingsRepository,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {
    this.turns = pLimit(config.chat.concurrency);
  }

  /**
   * Takes one inbound message and answers it through `responder`. Adapters acknowledge the platform
   * first and do not await this past the platform's deadline. Never throws: failures are answered.
   */
  async receive(msg: InboundMessage, responder: Responder): Promise<GatewayOutcome> {
    if (!(await this.deduper.claim(msg.platform, msg.eventId))) return 'duplicate';
    try {
      return await this.turns(() => this.process(msg, responder));
    } catch (err) {
      const ref = randomUUID().slice(0, 8);
      this.logger.error(
        `message ${msg.platform}:${msg.eventId} failed (ref ${ref}): ${err instanceof Error ? err.message : String(err)}`,
      );
      await responder
        .reply({ text: `Something went wrong on my side (ref ${ref}); nothing was lost, please try again.` })
        .catch(() => undefined);
      return 'failed';
    }
  }

  /** The paios user behind a platform account, or null when it is not paired. */
  private async identify(platform: Platform, senderId: string, address: ChatAddress): Promise<Sender | null> {
    if (platform === 'console') return this.users.findById(senderId);
    return this.users.findByIdentity({
      platform,
      platformUserId: senderId,
      // Slack user ids belong to a workspace; Telegram and Discord user ids are global.
      workspace: platform === 'slack' ? address.workspace : '',
    });
  }

  private async process(msg: InboundMessage, responder: Responder): Promise<GatewayOutcome> {
    const account = {
      platform: msg.platform,
      platformUserId: msg.sender.id,
      workspace: msg.platform === 'slack' ? msg.address.workspace : '',
    };
    const user = await this.identify(msg.platform, msg.sender.id, msg.address);
    if (!user) {
      const request = await this.pairing.requestCode({ ...account, displayName: msg.sender.name });
      const code = formatCode(request.code);
      this.logger.log(
        `pairing requested by ${msg.platform} account ${msg.sender.id}: approve with "paios users approve ${code}"`,
      );
      await responder.reply({
        ephemeral: true,
        text:
          `Hi${msg.sender.name ? ` ${msg.sender.name}` : ''}, I don't know you yet. Your pairing code is **${code}**.\n` +
          `The owner of this paios approves it with \`paios users approve ${code}\` (or by writing "approve ${code}" to me). ` +
          `Nothing you send runs until then.`,
      });
      return 'pairing';
    }

    const rate = await this.limiter.hit(user.id);
    if (!rate.allowed) {
      if (rate.firstRefusal)
        await responder.reply({
          ephemeral: true,
          text: `That's more than ${this.config.chat.rateLimitPerMinute} messages a minute; I'll listen again in ${rate.retryAfterSeconds} s.`,
        });
      return 'rate_limited';
    }

    // A secret was asked for in this chat: this message is the answer, not a command.
    if (await this.prompts.isOpen(msg.address, user.id)) {
      if (msg.audio) {
        await responder.reply({ ephemeral: true, text: 'Type it instead: I do not take passwords as voice notes.' });
        return 'answered';
      }
      const prompt = (await this.prompts.takeForChat(msg.address, user.id))!;
      if (/^\s*cancel\s*$/i.test(msg.text ?? '')) {
        await responder.reply({ ephemeral: true, text: 'Cancelled.' });
        return 'answered';
      }
      await responder.reply(
        await this.answerPrompt(user.id, prompt, msg.text ?? '', msg.direct, { deleteInbound: true }),
      );
      return 'answered';
    }

    let text = msg.text?.trim() ?? '';
    const origin: InteractionOrigin = { channel: msg.platform, inputKind: msg.audio ? 'voice' : 'text' };
    if (msg.audio) {
      await responder.activity?.('transcribing').catch(() => undefined);
      const heard = await this.transcribeNew(user, msg, origin);
      if ('failure' in heard) {
        await responder.reply({ text: heard.failure });
        return 'untranscribed';
      }
      text = heard.text;
    } else if (RETRY_VOICE.test(text)) {
      const heard = await this.retryLastVoice(user, origin);
      if (heard === null) {
        await responder.reply({ text: 'There is no voice note of yours waiting to be transcribed again.' });
        return 'answered';
      }
      if ('failure' in heard) {
        await responder.reply({ text: heard.failure });
        return 'untranscribed';
      }
      text = heard.text;
      origin.inputKind = 'voice';
    }
    if (!text) {
      await responder.reply({ text: 'I got an empty message. Try `/paios help` to see what I can do.' });
      return 'answered';
    }

    const own = await this.ownCommand(user, msg, text);
    if (own) {
      await responder.reply(own);
      return 'answered';
    }

    await responder.activity?.('typing').catch(() => undefined);
    const turn = await this.conversation.handle({
      userId: user.id,
      text,
      channelAgent: msg.agentHint,
      origin,
      caller: { kind: 'chat', platform: msg.address.platform, direct: msg.direct },
      chat: chatKey(msg.address),
    });
    const reply = this.toReply(turn, origin.inputKind === 'voice' ? text : undefined);
    if (turn.response?.secretPrompt) {
      reply.secretPrompt = await this.openPrompt(user.id, msg.address, turn);
      delete reply.deleteAfterSeconds;
      // Where no modal exists, the next message answers; Telegram deletes it at once.
      if (msg.platform === 'telegram')
        reply.text += '\n\nSend it as your next message: I delete it at once. Or say "cancel".';
      else if (msg.platform === 'console')
        reply.text += '\n\nSend it as your next message (the command line does not show it), or "cancel".';
    }
    // A sensitive or private answer (a revealed secret) is never read aloud; nor anything for whoever turned it off.
    const settings =
      origin.inputKind === 'voice' && this.voice.canSpeak && !turn.sensitive && !reply.ephemeral
        ? await this.voiceSettings.get(user.id)
        : undefined;
    if (settings?.spokenReplies) {
      await responder.activity?.('recording_voice').catch(() => undefined);
      try {
        const spoken = await this.voice.speak(plainText(turn.reply), settings);
        reply.voice = { filename: spoken.filename, mimeType: spoken.mimeType, data: spoken.data.toString('base64') };
      } catch (err) {
        this.logger.warn(`no spoken reply: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    await responder.reply(reply);
    return 'answered';
  }

  /**
   * A secret entered in a modal (Slack, Discord) for the prompt behind `token`: checked to belong to
   * this platform account, used once, and answered privately. Never throws.
   */
  async submitSecret(
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
    try {
      const user = await this.identify(submission.platform, submission.senderId, submission.address);
      const prompt = await this.prompts.peek(submission.token);
      if (!user || !prompt || prompt.userId !== user.id) {
        await responder.reply({ ephemeral: true, text: 'That request has expired; ask again.' });
        return 'failed';
      }
      await this.prompts.takeByToken(submission.token);
      await responder.reply(await this.answerPrompt(user.id, prompt, submission.value, submission.direct, {}));
      return 'answered';
    } catch (err) {
      const ref = randomUUID().slice(0, 8);
      this.logger.error(`secret submission failed (ref ${ref}): ${err instanceof Error ? err.name : 'error'}`);
      await responder
        .reply({ ephemeral: true, text: `Something went wrong on my side (ref ${ref}).` })
        .catch(() => undefined);
      return 'failed';
    }
  }

  /** Whether a modal for this token may be shown to this account (the prompt is open and theirs). */
  async promptFor(
    platform: Platform,
    senderId: string,
    address: ChatAddress,
    token: string,
  ): Promise<OpenPrompt | undefined> {
    const user = await this.identify(platform, senderId, address);
    const prompt = await this.prompts.peek(token);
    return user && prompt?.userId === user.id ? prompt : undefined;
  }

  private async openPrompt(
    userId: string,
    address: ChatAddress,
    turn: ConversationTurn,
  ): Promise<Reply['secretPrompt']> {
    const asked = turn.response!.secretPrompt!;
    const prompt = await this.prompts.open({
      userId,
      agentNumber: turn.decision.agentNumber!,
      tool: asked.tool,
      parameter: asked.parameter,
      label: asked.label,
      address,
    });
    return { token: prompt.token, label: prompt.label, repeat: asked.tool !== turn.decision.tool || undefined };
  }

  /** Passes the entered secret to the tool that asked for it; the history keeps the call, not the value. */
  private async answerPrompt(
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

  /** Renders a conversation turn: the answer, its files, and buttons for a clarifying question. */
  toReply(turn: ConversationTurn, heard?: string): Reply {
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
      if (turn.response?.success) reply.deleteAfterSeconds = this.config.vault.revealSeconds;
    }
    return reply;
  }

  /** Approvals, digests: answered here, because they need the chat address or the owner's rights. */
  private async ownCommand(user: Sender, msg: InboundMessage, text: string): Promise<Reply | null> {
    const approve = APPROVE.exec(text);
    if (approve) {
      if (!(await this.users.isAdmin(user, this.config.adminEmails)))
        return { ephemeral: true, text: 'Only the owner of this paios can approve pairing codes.' };
      try {
        const done = await this.pairing.approve(approve[1]!, approve[2]);
        const who = done.request.displayName ?? done.request.platformUserId;
        return { text: `Paired ${done.request.platform} account ${who} with ${done.email}.` };
      } catch (err) {
        if (err instanceof DomainError) return { ephemeral: true, text: `Could not approve: ${err.message}.` };
        throw err;
      }
    }
    return this.digests.handleCommand(user.id, msg.address, text);
  }

  private async transcribeNew(
    user: Sender,
    msg: InboundMessage,
    origin: InteractionOrigin,
  ): Promise<{ text: string } | { failure: string }> {
    const audio = msg.audio!;
    let data: Buffer;
    try {
      data = await audio.load();
    } catch (err) {
      this.logger.warn(`could not download a voice note: ${err instanceof Error ? err.message : String(err)}`);
      return { failure: 'I could not download that voice note from the platform. Please send it again.' };
    }
    const dir = join(this.config.dataDir, 'voice', user.id);
    await mkdir(dir, { recursive: true });
    const ext = /\.([A-Za-z0-9]{1,5})$/.exec(audio.filename)?.[1] ?? 'ogg';
    origin.audioPath = join(dir, `${Date.now()}-${randomUUID().slice(0, 8)}.${ext}`);
    origin.audioSeconds = audio.durationSeconds;
    await writeFile(origin.audioPath, data);
    return this.transcribe(user, { data, mimeType: audio.mimeType, filename: audio.filename }, origin);
  }

  private async retryLastVoice(
    user: Sender,
    origin: InteractionOrigin,
  ): Promise<{ text: string } | { failure: string } | null> {
    const [last] = await this.db.query<{ id: string; audio_path: string; audio_seconds: number | null }[]>(
      `SELECT id, audio_path, audio_seconds FROM voice_interactions
       WHERE user_id = $1 AND execution_status = 'untranscribed' AND audio_path IS NOT NULL
       ORDER BY created_at DESC LIMIT 1`,
      [user.id],
    );
    if (!last) return null;
    const data = await readFile(last.audio_path).catch(() => null);
    if (!data) return null;
    origin.audioPath = last.audio_path;
    origin.audioSeconds = last.audio_seconds ?? undefined;
    const heard = await this.transcribe(user, { data, mimeType: 'audio/ogg', filename: last.audio_path }, origin);
    if ('text' in heard)
      await this.db.query(`UPDATE voice_interactions SET execution_status = 'retranscribed' WHERE id = $1`, [last.id]);
    return heard;
  }

  private async transcribe(
    user: Sender,
    audio: { data: Buffer; mimeType: string; filename: string },
    origin: InteractionOrigin,
  ): Promise<{ text: string } | { failure: string }> {
    const started = performance.now();
    try {
      const transcript = await this.voice.transcribe(audio);
      origin.transcriptionMs = transcript.transcriptionMs;
      origin.audioSeconds ??= transcript.durationSeconds;
      if (transcript.text) return { text: transcript.text };
      await this.recordUntranscribed(user, origin, performance.now() - started, 'nothing recognisable was said');
      return { failure: 'I could not make out any words in that voice note. Could you say it again, or type it?' };
    } catch (err) {
      const reason = err instanceof VoiceError ? err.message : 'the transcription failed';
      if (!(err instanceof VoiceError)) this.logger.error(`transcription failed: ${String(err)}`);
      await this.recordUntranscribed(user, origin, performance.now() - started, reason);
      return {
        failure: `I could not transcribe your voice note (${reason}). I kept the recording: say "retry voice note" to try again.`,
      };
    }
  }

  private async recordUntranscribed(
    user: Sender,
    origin: InteractionOrigin,
    ms: number,
    reason: string,
  ): Promise<void> {
    await this.interactions.record({
      userId: user.id,
      agentId: null,
      commandText: '(voice note)',
      responseText: `not transcribed: ${reason}`,
      status: 'untranscribed',
      executionTimeMs: ms,
      origin,
    });
  }
}
