import { Logger } from '@nestjs/common';
import { type Api, GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Attachment } from '../../sdk/agent.contract.js';
import type { ChatActivity, ChatAddress, Reply } from '../chat.contract.js';
import { ChannelPacer } from '../core/channel-pacer.js';
import type { ButtonStore } from '../core/button-store.js';
import { toTelegramMessages } from './telegram.html.js';

/** Who asked, for answers that depend on it (ephemeral replies in groups go to the asker's DM). */
export interface TelegramReplyContext {
  senderId: string;
  direct: boolean;
  /** The message to quote when answering in a group. */
  replyTo?: number;
}

/** Telegram allows about one message a second per chat before it answers 429. */
const PER_CHAT_INTERVAL_MS = 1000;
const PHOTO_TYPES = new Set(['image/png', 'image/jpeg', 'image/jpg']);

function unescapeHtml(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/**
 * Renders a Reply the Telegram way: HTML text split at 4096 characters, buttons as an inline keyboard
 * (values kept in the button store), PNG/JPEG as photos, other files as documents, the spoken answer
 * as a voice message; every message paced per chat. 429 and 5xx are retried by the auto-retry plugin
 * installed on the Api.
 */
export class TelegramSender {
  private readonly logger = new Logger('Telegram');
  private readonly pacer = new ChannelPacer(PER_CHAT_INTERVAL_MS);

  constructor(
    private readonly api: Api,
    private readonly buttons: ButtonStore,
    private readonly botUsername: () => string | undefined,
  ) {}

  async send(address: ChatAddress, reply: Reply, context?: TelegramReplyContext): Promise<void> {
    if (reply.ephemeral && context && !context.direct) {
      // Telegram has no "only you can see this": the asker's private chat with the bot is the place.
      const dm: ChatAddress = { platform: 'telegram', workspace: '', channel: context.senderId };
      try {
        await this.deliver(dm, reply);
        return;
      } catch (err) {
        // 403: the person never opened a chat with the bot (or blocked it); 400: no such chat.
        if (!(err instanceof GrammyError) || (err.error_code !== 403 && err.error_code !== 400)) throw err;
        const name = this.botUsername();
        await this.deliver(
          address,
          {
            text:
              `I have an answer only you should see, but I cannot write to you privately yet. ` +
              `Open a private chat with me${name ? ` (@${name})` : ''}, press Start, and ask again there.`,
          },
          context.replyTo,
        );
        return;
      }
    }
    await this.deliver(address, reply, context?.replyTo);
  }

  /** The command a pressed button stands for, or undefined when it expired. */
  buttonValue(callbackData: string): Promise<string | undefined> {
    return this.buttons.get(callbackData);
  }

  /** Removes the buttons of a message once one was pressed, so a confirmation cannot run twice. */
  async clearButtons(chat: string, messageId: number): Promise<void> {
    await this.api.editMessageReplyMarkup(chat, messageId, { reply_markup: { inline_keyboard: [] } });
  }

  /** Deletes messages (a typed secret, a revealed one); failures are logged, never thrown. */
  async deleteMessages(chat: string, ids: number[]): Promise<void> {
    if (!ids.length) return;
    try {
      await this.api.deleteMessages(chat, ids);
    } catch (err) {
      this.logger.warn(
        `could not delete ${ids.length} message(s) in ${chat}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  async activity(address: ChatAddress, what: ChatActivity): Promise<void> {
    const action = what === 'recording_voice' ? 'record_voice' : 'typing';
    await this.api.sendChatAction(address.channel, action, { message_thread_id: this.thread(address) });
  }

  private async deliver(address: ChatAddress, reply: Reply, replyTo?: number): Promise<void> {
    const chat = address.channel;
    const thread = this.thread(address);
    const keyboard = await this.keyboard(reply);
    const parts = reply.text.trim() ? toTelegramMessages(reply.text) : [];
    const sent: number[] = [];
    const extras = [...(reply.attachments ?? [])];
    let quote = replyTo !== undefined ? { message_id: replyTo, allow_sending_without_reply: true } : undefined;
    for (const [i, html] of parts.entries()) {
      const last = i === parts.length - 1;
      const options = {
        message_thread_id: thread,
        reply_parameters: quote,
        reply_markup: last ? keyboard : undefined,
        link_preview_options: { is_disabled: true },
      };
      await this.pacer.run(chat, async () => {
        try {
          sent.push((await this.api.sendMessage(chat, html, { ...options, parse_mode: 'HTML' })).message_id);
        } catch (err) {
          // Should the rendering ever produce HTML Telegram refuses, the words still arrive.
          if (!(err instanceof GrammyError && err.error_code === 400 && /parse entities/i.test(err.description)))
            throw err;
          sent.push((await this.api.sendMessage(chat, unescapeHtml(html), options)).message_id);
        }
      });
      quote = undefined;
    }
    for (const file of extras) await this.pacer.run(chat, () => this.sendFile(chat, thread, file, quote));
    if (reply.deleteAfterSeconds && sent.length) {
      // A revealed secret does not stay in the chat. (A restart within the delay leaves it: said in README.)
      const timer = setTimeout(() => void this.deleteMessages(chat, sent), reply.deleteAfterSeconds * 1000);
      timer.unref();
    }
    if (parts.length === 0 && keyboard)
      await this.pacer.run(chat, () =>
        this.api.sendMessage(chat, 'Choose:', { message_thread_id: thread, reply_markup: keyboard }),
      );
    if (reply.voice) {
      const voice = reply.voice;
      await this.pacer.run(chat, () =>
        this.api.sendVoice(chat, new InputFile(Buffer.from(voice.data, 'base64'), voice.filename), {
          message_thread_id: thread,
        }),
      );
    }
  }

  private async sendFile(
    chat: string,
    thread: number | undefined,
    file: Attachment,
    quote: { message_id: number; allow_sending_without_reply: boolean } | undefined,
  ): Promise<void> {
    const bytes = Buffer.from(file.data, 'base64');
    const options = { message_thread_id: thread, reply_parameters: quote };
    if (PHOTO_TYPES.has(file.mimeType.toLowerCase())) {
      try {
        await this.api.sendPhoto(chat, new InputFile(bytes, file.filename), options);
        return;
      } catch (err) {
        // Photos have size and aspect limits; a document takes any image.
        if (!(err instanceof GrammyError && err.error_code === 400)) throw err;
      }
    }
    await this.api.sendDocument(chat, new InputFile(bytes, file.filename), options);
  }

  private async keyboard(reply: Reply): Promise<InlineKeyboardMarkup | undefined> {
    if (!reply.buttons?.length) return undefined;
    const rows: InlineKeyboardButton[][] = [];
    for (const b of reply.buttons) {
      const button: InlineKeyboardButton.CallbackButton = {
        text: b.label,
        callback_data: await this.buttons.put(b.value),
      };
      if (b.style) button.style = b.style;
      rows.push([button]);
    }
    return { inline_keyboard: rows };
  }

  private thread(address: ChatAddress): number | undefined {
    return address.thread ? Number(address.thread) : undefined;
  }
}
