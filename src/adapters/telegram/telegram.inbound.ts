import type { Api } from 'grammy';
import type { CallbackQuery, Message, UserFromGetMe } from 'grammy/types';
import type { UserRepository } from '../../orchestrator/identity/user.repository.js';
import type { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import type { InboundAudio, InboundMessage, Responder } from '../chat.contract.js';
import type { ChatGateway } from '../core/chat-gateway.service.js';
import { agentByCommand, type ChatCommand, parseCommand } from '../core/command-parser.js';
import type { EventDeduper } from '../core/event-deduper.js';
import { fromCallback, fromMessage, type TelegramAudioRef, type TelegramIncoming } from './telegram.mapper.js';
import type { TelegramReplyContext, TelegramSender } from './telegram.sender.js';
import { helpText, welcomeText } from './telegram.texts.js';

/** Bots may download files up to 20 MB through the Bot API. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** Downloads a file from Telegram's file storage by its path; the adapter keeps the token-bearing URL. */
export type TelegramFileDownload = (filePath: string) => Promise<Buffer>;

/**
 * What paios does with Telegram updates: /start and /help are answered here (with the pairing code
 * for a stranger's first /start), everything else goes to the gateway, and a pressed button says its
 * stored value. Answers go to the chat and forum topic the update came from.
 */
export class TelegramInbound {
  constructor(
    private readonly api: Api,
    private readonly gateway: ChatGateway,
    private readonly deduper: EventDeduper,
    private readonly users: UserRepository,
    private readonly registry: AgentRegistry,
    private readonly sender: TelegramSender,
    private readonly download: TelegramFileDownload,
  ) {}

  async onMessage(updateId: number, message: Message, me: UserFromGetMe): Promise<void> {
    const inbound = fromMessage(updateId, message, { id: me.id, username: me.username });
    if (!inbound) return;
    const command = this.parse(inbound);
    if (command.kind === 'start' || command.kind === 'help') {
      if (!(await this.deduper.claim('telegram', `${inbound.eventId}:${command.kind}`))) return;
      const known = await this.users.findByIdentity({ platform: 'telegram', platformUserId: inbound.sender.id });
      const text =
        command.kind === 'start'
          ? welcomeText(inbound.sender.name, !!known, me.username)
          : helpText(this.registry.list(), me.username);
      await this.sender.send(inbound.address, { text }, context(inbound));
      // An unknown person's first /start also gets the pairing code, so nobody has to guess what to do.
      if (command.kind === 'start' && !known)
        await this.gateway.receive(this.toGateway(inbound, command), this.responder(inbound));
      return;
    }
    await this.gateway.receive(this.toGateway(inbound, command), this.responder(inbound));
  }

  async onCallback(query: CallbackQuery): Promise<void> {
    // Stop the button's spinner first; what the press does may take a while.
    await this.api.answerCallbackQuery(query.id).catch(() => undefined);
    const press = fromCallback(query);
    if (query.message && query.message.date !== 0)
      await this.sender.clearButtons(press.address.channel, query.message.message_id).catch(() => undefined);
    const value = press.data ? await this.sender.buttonValue(press.data) : undefined;
    if (value === undefined) {
      await this.sender.send(press.address, { text: 'That button has expired. Please ask me again.' });
      return;
    }
    const inbound: TelegramIncoming = { ...press, text: value };
    await this.gateway.receive(this.toGateway(inbound, { kind: 'message', text: value }), this.responder(inbound));
  }

  private parse(inbound: TelegramIncoming): ChatCommand {
    return parseCommand(
      { command: inbound.command, text: inbound.text ?? '' },
      { agents: this.registry, agentFor: agentByCommand(this.registry) },
    );
  }

  private responder(inbound: TelegramIncoming): Responder {
    return {
      reply: async (reply) => {
        // The message held a secret (a master password): gone from the chat before anything else.
        if (reply.deleteInbound && inbound.messageId !== undefined)
          await this.sender.deleteMessages(inbound.address.channel, [inbound.messageId]);
        await this.sender.send(inbound.address, reply, context(inbound));
      },
      activity: (what) => this.sender.activity(inbound.address, what),
    };
  }

  private toGateway(inbound: TelegramIncoming, command: ChatCommand): InboundMessage {
    const message = command.kind === 'message' ? command : undefined;
    return {
      platform: 'telegram',
      eventId: inbound.eventId,
      address: inbound.address,
      sender: inbound.sender,
      text: message?.text || undefined,
      audio: inbound.audio && this.audio(inbound.audio),
      agentHint: message?.agentHint,
      direct: inbound.direct,
      messageId: inbound.messageId === undefined ? undefined : String(inbound.messageId),
    };
  }

  /** getFile, then the download; errors never carry the file URL, which contains the token. */
  private audio(ref: TelegramAudioRef): InboundAudio {
    return {
      mimeType: ref.mimeType,
      filename: ref.filename,
      durationSeconds: ref.durationSeconds,
      load: async () => {
        if (ref.fileSize !== undefined && ref.fileSize > MAX_DOWNLOAD_BYTES)
          throw new Error('the file is larger than the 20 MB a bot may download');
        const file = await this.api.getFile(ref.fileId);
        if (!file.file_path) throw new Error('Telegram returned no file path');
        return this.download(file.file_path);
      },
    };
  }
}

/** Who asked, for answers that depend on it (private answers in groups go to the asker's DM). */
function context(inbound: TelegramIncoming): TelegramReplyContext {
  return { senderId: inbound.sender.id, direct: inbound.direct, replyTo: inbound.replyTo };
}
