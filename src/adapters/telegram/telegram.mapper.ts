import type { CallbackQuery, Message, MessageEntity, User } from 'grammy/types';
import type { ChatAddress } from '../chat.contract.js';
import { leadingCommand } from '../core/command-parser.js';

/**
 * Telegram updates -> what paios should do with them, without any I/O: which messages are meant for
 * paios (every private message; in groups only commands, mentions and replies to the bot), the
 * command it starts with and the text after it without the @mention (core/command-parser reads
 * them), the voice note to fetch, and the address to answer (forum topic included).
 */

export interface BotIdentity {
  id: number;
  username: string;
}

/** A voice note or audio file still on Telegram's servers. */
export interface TelegramAudioRef {
  fileId: string;
  mimeType: string;
  filename: string;
  durationSeconds?: number;
  fileSize?: number;
}

export interface TelegramIncoming {
  eventId: string;
  address: ChatAddress;
  sender: { id: string; name?: string };
  text?: string;
  audio?: TelegramAudioRef;
  /** The command the message starts with, lower case without slash or bot name (start, paios, invoice, 15). */
  command?: string;
  direct: boolean;
  /** The message to quote in a group answer. */
  replyTo?: number;
  /** The message itself (deleted when it held a secret). */
  messageId?: number;
}

export function displayName(user: User): string {
  const full = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return full || user.username || String(user.id);
}

/** Where an answer to this message goes: the chat, and its forum topic if it is in one. */
export function addressOf(message: Pick<Message, 'chat' | 'message_thread_id' | 'is_topic_message'>): ChatAddress {
  const address: ChatAddress = { platform: 'telegram', workspace: '', channel: String(message.chat.id) };
  if (message.is_topic_message && message.message_thread_id !== undefined)
    address.thread = String(message.message_thread_id);
  return address;
}

function entityText(text: string, e: MessageEntity): string {
  // Offsets count UTF-16 code units, as JavaScript strings do.
  return text.slice(e.offset, e.offset + e.length);
}

function mentionsBot(text: string, entities: MessageEntity[] | undefined, bot: BotIdentity): boolean {
  return (entities ?? []).some(
    (e) =>
      (e.type === 'mention' && entityText(text, e).toLowerCase() === `@${bot.username.toLowerCase()}`) ||
      (e.type === 'text_mention' && e.user.id === bot.id),
  );
}

function stripMention(text: string, bot: BotIdentity): string {
  const escaped = bot.username.replace(/[^A-Za-z0-9_]/g, '');
  return text
    .replace(new RegExp(`@${escaped}\\b`, 'gi'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function audioOf(message: Message): TelegramAudioRef | undefined {
  if (message.voice)
    return {
      fileId: message.voice.file_id,
      mimeType: message.voice.mime_type ?? 'audio/ogg',
      filename: 'voice.ogg',
      durationSeconds: message.voice.duration,
      fileSize: message.voice.file_size,
    };
  if (message.audio)
    return {
      fileId: message.audio.file_id,
      mimeType: message.audio.mime_type ?? 'audio/mpeg',
      filename: message.audio.file_name ?? 'audio.mp3',
      durationSeconds: message.audio.duration,
      fileSize: message.audio.file_size,
    };
  if (message.document?.mime_type?.startsWith('audio/'))
    return {
      fileId: message.document.file_id,
      mimeType: message.document.mime_type,
      filename: message.document.file_name ?? 'audio',
      fileSize: message.document.file_size,
    };
  return undefined;
}

/**
 * A message, if paios should answer it. Returns null for messages in groups that are not meant for
 * the bot, commands addressed to another bot, messages from bots, and service messages.
 */
export function fromMessage(updateId: number, message: Message, bot: BotIdentity): TelegramIncoming | null {
  if (!message.from || message.from.is_bot) return null;
  const raw = message.text ?? message.caption ?? '';
  const entities = message.entities ?? message.caption_entities;
  const audio = audioOf(message);
  if (!raw.trim() && !audio) return null;

  const direct = message.chat.type === 'private';
  const command = leadingCommand(raw);
  if (command?.bot && command.bot.toLowerCase() !== bot.username.toLowerCase()) return null;
  const addressed =
    direct || !!command || mentionsBot(raw, entities, bot) || message.reply_to_message?.from?.id === bot.id;
  if (!addressed) return null;

  return {
    eventId: String(updateId),
    address: addressOf(message),
    sender: { id: String(message.from.id), name: displayName(message.from) },
    text: stripMention(command ? command.rest : raw, bot) || undefined,
    audio,
    command: command?.name,
    direct,
    replyTo: direct ? undefined : message.message_id,
    messageId: message.message_id,
  };
}

/** A button press: the chat it was pressed in, who pressed it, and the stored button id. */
export function fromCallback(query: CallbackQuery): TelegramIncoming & { data?: string } {
  const message = query.message;
  const address: ChatAddress = message
    ? addressOf({
        chat: message.chat,
        message_thread_id: 'message_thread_id' in message ? message.message_thread_id : undefined,
        is_topic_message: 'is_topic_message' in message ? message.is_topic_message : undefined,
      })
    : { platform: 'telegram', workspace: '', channel: String(query.from.id) };
  return {
    eventId: `callback:${query.id}`,
    address,
    sender: { id: String(query.from.id), name: displayName(query.from) },
    direct: !message || message.chat.type === 'private',
    data: query.data,
  };
}
