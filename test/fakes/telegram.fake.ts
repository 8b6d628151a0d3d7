import type {
  ApiError,
  ApiSuccess,
  CallbackQuery,
  Chat,
  File,
  InlineKeyboardMarkup,
  Message,
  Update,
  User,
  UserFromGetMe,
} from '@grammyjs/types';
import { HttpFake, type FakeReply, type RecordedFile, type RecordedRequest } from './http-fake.js';

/** One message the bot sent (sendMessage, sendPhoto, sendDocument, sendVoice), as the fake saw it. */
export interface SentMessage {
  method: string;
  chatId: string;
  messageId: number;
  text?: string;
  parseMode?: string;
  threadId?: number;
  replyTo?: number;
  replyMarkup?: InlineKeyboardMarkup;
  /** The uploaded file of sendPhoto/sendDocument/sendVoice. */
  file?: RecordedFile;
}

type Params = Record<string, unknown>;
/** Chats people write in (updates from channels are not messages to a bot). */
type PeopleChat = Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat;

/** Tags Telegram's HTML parse mode accepts. */
const ALLOWED_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'code',
  'pre',
  'blockquote',
  'tg-emoji',
]);

/** Why Telegram would refuse this HTML ("can't parse entities"), or undefined when it is fine. */
export function htmlProblem(html: string): string | undefined {
  const stack: string[] = [];
  const tag = /<(\/?)([a-z-]+)(\s[^<>]*)?>|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-f]+);|[<>&]/gi;
  for (const m of html.matchAll(tag)) {
    if (m[0] === '<' || m[0] === '>' || m[0] === '&') return `unescaped "${m[0]}" at ${m.index}`;
    if (!m[2]) continue;
    const name = m[2].toLowerCase();
    if (!ALLOWED_TAGS.has(name)) return `unsupported start tag "${name}" at ${m.index}`;
    if (m[1]) {
      if (stack.pop() !== name) return `unmatched end tag "${name}" at ${m.index}`;
    } else stack.push(name);
  }
  return stack.length ? `unclosed tag "${stack.at(-1)}"` : undefined;
}

/**
 * A local Telegram Bot API server (https://core.telegram.org/bots/api), typed with @grammyjs/types:
 * `POST /bot<token>/<method>` for the methods paios uses (JSON or multipart), and
 * `GET /file/bot<token>/<file_path>` serving the bytes of files added with `addFile`. It keeps
 * updates for getUpdates, records every message sent, checks HTML and the 4096-character limit like
 * Telegram does, and can answer 429 with parameters.retry_after once on demand.
 */
export class TelegramFake {
  readonly http: HttpFake;
  readonly sent: SentMessage[] = [];
  readonly chatActions: { chatId: string; action: string; threadId?: number }[] = [];
  readonly answeredCallbacks: string[] = [];
  /** Messages removed through deleteMessage / deleteMessages, in order. */
  readonly deleted: { chatId: string; messageId: number }[] = [];
  /** Private chats whose user never started the bot: sending there fails with 403. */
  readonly unreachableChats = new Set<string>();
  readonly me: UserFromGetMe = {
    id: 7000001,
    is_bot: true,
    first_name: 'paios',
    username: 'paios_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
  webhook: { url: string; secretToken?: string } | undefined;

  private readonly files = new Map<string, { file: File; data: Buffer }>();
  private readonly chats = new Map<string, PeopleChat>();
  private readonly failures = new Map<string, ApiError>();
  private queue: Update[] = [];
  private wakeUp?: () => void;
  private held?: () => void;
  /** getUpdates requests cut off by a newer one, as Telegram answers them 409 Conflict. */
  conflicts = 0;
  private nextMessageId = 500;
  private nextUpdateId = 10_000;

  constructor(readonly token = '123456789:AAtest-token_for-the-fake') {
    this.http = new HttpFake((req) => this.route(req));
  }

  get apiRoot(): string {
    return this.http.url;
  }

  async start(): Promise<this> {
    await this.http.start();
    return this;
  }

  async stop(): Promise<void> {
    this.wakeUp?.();
    await this.http.stop();
  }

  /** API methods called so far, in order. */
  calls(method?: string): RecordedRequest[] {
    return this.http.requests.filter((r) => !method || r.path.endsWith(`/${method}`));
  }

  sentTo(chatId: number | string): SentMessage[] {
    return this.sent.filter((m) => m.chatId === String(chatId));
  }

  /** The next call of `method` is answered 429 with parameters.retry_after. */
  rateLimitOnce(method: string, retryAfterSeconds: number): void {
    this.failures.set(method, {
      ok: false,
      error_code: 429,
      description: `Too Many Requests: retry after ${retryAfterSeconds}`,
      parameters: { retry_after: retryAfterSeconds },
    });
  }

  /** Keeps bytes as a Telegram file; the File is what getFile answers for its file_id. */
  addFile(data: Buffer, filePath: string): File {
    const n = this.files.size + 1;
    const file: File = {
      file_id: `file-${n}-${Math.random().toString(36).slice(2, 10)}`,
      file_unique_id: `u${n}`,
      file_size: data.length,
      file_path: filePath,
    };
    this.files.set(file.file_id, { file, data });
    return file;
  }

  /** For the polling test: getUpdates hands these out. */
  queueUpdate(update: Update): void {
    this.queue.push(update);
    this.wakeUp?.();
  }

  // ---- builders of updates, shaped as Telegram sends them ----

  user(id: number, firstName: string, username?: string): User {
    return { id, is_bot: false, first_name: firstName, username, language_code: 'en' };
  }

  privateChat(user: User): Chat.PrivateChat {
    const chat: Chat.PrivateChat = {
      id: user.id,
      type: 'private',
      first_name: user.first_name,
      username: user.username,
    };
    this.chats.set(String(chat.id), chat);
    return chat;
  }

  supergroup(id: number, title: string, forum = false): Chat.SupergroupChat {
    const chat: Chat.SupergroupChat = { id, type: 'supergroup', title, is_forum: forum || undefined };
    this.chats.set(String(chat.id), chat);
    return chat;
  }

  textUpdate(from: User, chat: PeopleChat, text: string, extra: Partial<Message> = {}): Update {
    const message = { ...this.messageBase(from, chat), text, ...extra } as Message.TextMessage & Update.NonChannel;
    const command = /^\/\w+(@\w+)?/.exec(text);
    if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
    return { update_id: this.nextUpdateId++, message };
  }

  voiceUpdate(from: User, chat: PeopleChat, file: File, durationSeconds = 2, extra: Partial<Message> = {}): Update {
    const message = {
      ...this.messageBase(from, chat),
      voice: {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        duration: durationSeconds,
        mime_type: 'audio/ogg',
        file_size: file.file_size,
      },
      ...extra,
    } as Message.VoiceMessage & Update.NonChannel;
    return { update_id: this.nextUpdateId++, message };
  }

  /** A press of an inline button on `onMessage` (a message the bot sent). */
  callbackUpdate(from: User, onMessage: SentMessage, data: string): Update {
    const chat = this.chatOf(onMessage.chatId);
    const message = {
      message_id: onMessage.messageId,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: this.me,
      text: onMessage.text ?? '',
    } as Message.TextMessage & Update.NonChannel;
    const query: CallbackQuery = {
      id: `cbq-${this.nextUpdateId}`,
      from,
      chat_instance: `ci-${chat.id}`,
      message,
      data,
    };
    return { update_id: this.nextUpdateId++, callback_query: query };
  }

  // ---- the server ----

  private messageBase(from: User, chat: PeopleChat): Pick<Message, 'message_id' | 'date' | 'chat' | 'from'> {
    this.chats.set(String(chat.id), chat);
    return { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat, from };
  }

  private chatOf(id: string): PeopleChat {
    return this.chats.get(id) ?? { id: Number(id), type: 'private', first_name: 'someone' };
  }

  private ok<T>(result: T): FakeReply {
    const body: ApiSuccess<T> = { ok: true, result };
    return { json: body };
  }

  private error(code: number, description: string): FakeReply {
    const body: ApiError = { ok: false, error_code: code, description };
    return { status: code, json: body };
  }

  private async route(req: RecordedRequest): Promise<FakeReply> {
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.path);
    if (download) {
      const hit = [...this.files.values()].find((f) => f.file.file_path === decodeURIComponent(download[2]!));
      if (download[1] !== this.token || !hit) return { status: 404, json: { ok: false, error_code: 404 } };
      return { body: hit.data, contentType: 'application/octet-stream' };
    }
    const call = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
    if (!call) return this.error(404, 'Not Found');
    if (call[1] !== this.token) return this.error(401, 'Unauthorized');
    const method = call[2]!;
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      return { status: failure.error_code, json: failure };
    }
    return this.method(method, this.params(req), req);
  }

  /** JSON bodies as they are; multipart fields that carry objects arrive JSON-encoded. */
  private params(req: RecordedRequest): Params {
    const body = (req.body ?? {}) as Params;
    if (Object.keys(req.files).length === 0 && !String(req.headers['content-type']).startsWith('multipart'))
      return body;
    const out: Params = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string' && /^[[{]/.test(v)) out[k] = JSON.parse(v) as unknown;
      else if (typeof v === 'string' && /^-?\d+$/.test(v) && k !== 'chat_id') out[k] = Number(v);
      else out[k] = v;
    }
    return out;
  }

  private fileOf(value: unknown, req: RecordedRequest): RecordedFile | undefined {
    if (typeof value === 'string' && value.startsWith('attach://')) return req.files[value.slice('attach://'.length)];
    return undefined;
  }

  private async method(method: string, p: Params, req: RecordedRequest): Promise<FakeReply> {
    switch (method) {
      case 'getMe':
        return this.ok(this.me);
      case 'deleteWebhook':
        this.webhook = undefined;
        return this.ok(true);
      case 'setWebhook':
        this.webhook = { url: String(p.url), secretToken: p.secret_token as string | undefined };
        return this.ok(true);
      case 'getUpdates': {
        const updates = await this.updates(p);
        return updates === 'conflict'
          ? this.error(
              409,
              'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
            )
          : this.ok(updates);
      }
      case 'getFile': {
        const hit = this.files.get(String(p.file_id));
        return hit ? this.ok(hit.file) : this.error(400, 'Bad Request: invalid file_id');
      }
      case 'sendChatAction':
        this.chatActions.push({
          chatId: String(p.chat_id),
          action: String(p.action),
          threadId: p.message_thread_id as number | undefined,
        });
        return this.ok(true);
      case 'answerCallbackQuery':
        this.answeredCallbacks.push(String(p.callback_query_id));
        return this.ok(true);
      case 'editMessageReplyMarkup':
        return this.ok(true);
      case 'deleteMessage':
      case 'deleteMessages': {
        const ids = (method === 'deleteMessage' ? [p.message_id] : p.message_ids) as number[] | undefined;
        if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100)
          return this.error(400, 'Bad Request: message identifiers are not specified');
        for (const id of ids) this.deleted.push({ chatId: String(p.chat_id), messageId: Number(id) });
        return this.ok(true);
      }
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument':
      case 'sendVoice':
        return this.send(method, p, req);
      default:
        return this.error(404, `Not Found: method ${method} is not in this fake`);
    }
  }

  private send(method: string, p: Params, req: RecordedRequest): FakeReply {
    const chatId = String(p.chat_id);
    if (this.unreachableChats.has(chatId))
      return this.error(403, "Forbidden: bot can't initiate conversation with a user");
    const text = (method === 'sendMessage' ? p.text : p.caption) as string | undefined;
    if (method === 'sendMessage') {
      if (!text) return this.error(400, 'Bad Request: message text is empty');
      if (text.length > 4096) return this.error(400, 'Bad Request: message is too long');
      const problem = p.parse_mode === 'HTML' ? htmlProblem(text) : undefined;
      if (problem) return this.error(400, `Bad Request: can't parse entities: ${problem}`);
    }
    const field = { sendPhoto: 'photo', sendDocument: 'document', sendVoice: 'voice' }[method];
    const file = field ? this.fileOf(p[field], req) : undefined;
    if (field && !file) return this.error(400, `Bad Request: there is no ${field} in the request`);
    const reply = p.reply_parameters as { message_id?: number } | undefined;
    const record: SentMessage = {
      method,
      chatId,
      messageId: this.nextMessageId++,
      text,
      parseMode: p.parse_mode as string | undefined,
      threadId: p.message_thread_id as number | undefined,
      replyTo: reply?.message_id,
      replyMarkup: p.reply_markup as InlineKeyboardMarkup | undefined,
      file,
    };
    this.sent.push(record);
    const message = {
      message_id: record.messageId,
      date: Math.floor(Date.now() / 1000),
      chat: this.chatOf(chatId),
      from: this.me,
      ...(text !== undefined ? { text } : {}),
    } as Message;
    return this.ok(message);
  }

  /**
   * Long polling: what is queued from `offset` on, or an empty list after a short wait. A newer
   * getUpdates cuts off one still waiting, which gets 409 as from Telegram.
   */
  private async updates(p: Params): Promise<Update[] | 'conflict'> {
    const offset = typeof p.offset === 'number' ? p.offset : 0;
    this.queue = this.queue.filter((u) => u.update_id >= offset);
    this.held?.();
    if (this.queue.length === 0 && Number(p.timeout ?? 0) > 0) {
      const outcome = await new Promise<'woken' | 'conflict'>((resolve) => {
        const timer = setTimeout(() => settle('woken'), 500);
        const wake = () => settle('woken');
        const cut = () => {
          this.conflicts += 1;
          settle('conflict');
        };
        const settle = (how: 'woken' | 'conflict') => {
          clearTimeout(timer);
          if (this.wakeUp === wake) this.wakeUp = undefined;
          if (this.held === cut) this.held = undefined;
          resolve(how);
        };
        this.wakeUp = wake;
        this.held = cut;
      });
      if (outcome === 'conflict') return 'conflict';
    }
    const limit = typeof p.limit === 'number' ? p.limit : 100;
    return this.queue.filter((u) => u.update_id >= offset).slice(0, limit);
  }
}
