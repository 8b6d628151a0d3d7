import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot } from 'grammy';
import type { CallbackQuery, Message, Update } from 'grammy/types';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { PROCESS_ROLE, type ProcessRole } from '../../config/process-role.js';
import { UserRepository } from '../../orchestrator/identity/user.repository.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import { KeyValueStore } from '../../orchestrator/kv/key-value-store.port.js';
import type { AdapterStatus, ChatAdapter, ChatAddress, InboundAudio, Reply, Responder } from '../chat.contract.js';
import { AdapterHub, BackgroundStarter, scrub } from '../core/adapter-hub.js';
import { ChatGateway } from '../core/chat-gateway.service.js';
import { EventDeduper } from '../core/event-deduper.js';
import { ButtonStore } from '../core/button-store.js';
import { fromCallback, fromMessage, type TelegramAudioRef, type TelegramInbound } from './telegram.mapper.js';
import { TelegramPoller } from './telegram.poller.js';
import { type TelegramReplyContext, TelegramSender } from './telegram.sender.js';
import { helpText, welcomeText } from './telegram.texts.js';

const DEFAULT_API_ROOT = 'https://api.telegram.org';
/** Bots may download files up to 20 MB through the Bot API. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
/** How long shutdown waits for messages still being answered. */
const DRAIN_MS = 10_000;

/**
 * Telegram through grammY. Updates arrive by webhook (POST /telegram/webhook, when a secret is set)
 * or long polling (one process at a time); each is acknowledged at once and answered in the
 * background through the ChatGateway. Outbound `send` needs only the Bot API client, so workers can
 * deliver digests too.
 */
@Injectable()
export class TelegramAdapter implements ChatAdapter, OnModuleInit, OnModuleDestroy {
  readonly platform = 'telegram' as const;
  private readonly logger = new Logger('TelegramAdapter');
  private readonly settings: NonNullable<PaiosConfig['telegram']>;
  private readonly apiRoot: string;
  private readonly bot: Bot;
  private readonly sender: TelegramSender;
  private readonly starter: BackgroundStarter;
  private readonly poller?: TelegramPoller;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly hub: AdapterHub,
    private readonly gateway: ChatGateway,
    private readonly deduper: EventDeduper,
    private readonly users: UserRepository,
    private readonly registry: AgentRegistry,
    kv: KeyValueStore,
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {
    if (!config.telegram) throw new Error('TelegramAdapter needs TELEGRAM_BOT_TOKEN');
    this.settings = config.telegram;
    this.apiRoot = (config.telegram.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
    this.bot = new Bot(this.settings.botToken, { client: { apiRoot: this.apiRoot } });
    // 429 (after parameters.retry_after) and 5xx are retried; network failures surface to the caller,
    // which has its own backoff (BackgroundStarter, the polling loop) or tells the user.
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 300, rethrowHttpErrors: true }));
    this.bot.on('message', (ctx) => this.track(this.onMessage(ctx.update.update_id, ctx.message)));
    this.bot.on('callback_query', (ctx) => this.track(this.onCallback(ctx.callbackQuery)));
    this.bot.catch((err) => this.logger.error(`update failed: ${this.scrub(err.message)}`));
    this.sender = new TelegramSender(this.bot.api, new ButtonStore(kv, 'telegram'), () =>
      this.bot.isInited() ? this.bot.botInfo.username : undefined,
    );
    if (role === 'server' && !this.settings.webhookSecret)
      this.poller = new TelegramPoller(this.bot, kv, 'telegram:polling', this.secrets);
    this.starter = new BackgroundStarter(
      'Telegram',
      async () => {
        // getMe directly rather than bot.init(), which retries forever: a failure must reach the
        // starter, which reports it in health and backs off.
        this.bot.botInfo = await this.bot.api.getMe();
        this.poller?.begin();
      },
      this.secrets,
    );
  }

  onModuleInit(): void {
    this.hub.register(this);
    // A one-shot CLI command only ever sends; it need not wait for (or call) getMe.
    if (this.role !== 'cli') this.starter.begin();
  }

  async onModuleDestroy(): Promise<void> {
    this.starter.stop();
    await this.poller?.stop();
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
  }

  status(): AdapterStatus {
    const modes: string[] = [];
    if (this.role === 'server' && this.settings.webhookSecret) modes.push('webhook');
    if (this.poller?.active) modes.push('polling');
    return { platform: 'telegram', state: this.starter.state, lastError: this.starter.lastError, modes };
  }

  /** The webhook secret, for the controller's constant-time comparison. */
  get webhookSecret(): string | undefined {
    return this.settings.webhookSecret;
  }

  send(address: ChatAddress, reply: Reply): Promise<void> {
    return this.sender.send(address, reply);
  }

  /**
   * Takes a webhook update: returns at once and handles it in the background. Before getMe has
   * succeeded the bot cannot tell mentions of itself, so it answers 503 and Telegram delivers again.
   */
  acceptUpdate(update: Update): void {
    if (!this.bot.isInited()) throw new ServiceUnavailableException('the Telegram bot is still starting');
    this.track(this.bot.handleUpdate(update));
  }

  private get secrets(): string[] {
    return [this.settings.botToken, this.settings.webhookSecret ?? ''];
  }

  private scrub(text: string): string {
    return scrub(text, this.secrets);
  }

  private track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) =>
      this.logger.error(`Telegram update failed: ${this.scrub(err instanceof Error ? err.message : String(err))}`),
    );
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async onMessage(updateId: number, message: Message): Promise<void> {
    const me = this.bot.botInfo;
    const inbound = fromMessage(updateId, message, { id: me.id, username: me.username });
    if (!inbound) return;
    const context: TelegramReplyContext = {
      senderId: inbound.sender.id,
      direct: inbound.direct,
      replyTo: inbound.replyTo,
    };
    if (inbound.kind !== 'message') {
      if (!(await this.deduper.claim('telegram', `${inbound.eventId}:${inbound.kind}`))) return;
      const known = await this.users.findByIdentity({ platform: 'telegram', platformUserId: inbound.sender.id });
      const text =
        inbound.kind === 'start'
          ? welcomeText(inbound.sender.name, !!known, me.username)
          : helpText(this.registry.list(), me.username);
      await this.sender.send(inbound.address, { text }, context);
      // An unknown person's first /start also gets the pairing code, so nobody has to guess what to do.
      if (inbound.kind === 'start' && !known)
        await this.gateway.receive(this.toGateway(inbound), this.responder(inbound));
      return;
    }
    await this.gateway.receive(this.toGateway(inbound), this.responder(inbound));
  }

  private async onCallback(query: CallbackQuery): Promise<void> {
    // Stop the button's spinner first; what the press does may take a while.
    await this.bot.api.answerCallbackQuery(query.id).catch(() => undefined);
    const press = fromCallback(query);
    if (query.message && query.message.date !== 0)
      await this.sender.clearButtons(press.address.channel, query.message.message_id).catch(() => undefined);
    const value = press.data ? await this.sender.buttonValue(press.data) : undefined;
    if (value === undefined) {
      await this.sender.send(press.address, { text: 'That button has expired. Please ask me again.' });
      return;
    }
    const inbound: TelegramInbound = { ...press, kind: 'message', text: value };
    await this.gateway.receive(this.toGateway(inbound), this.responder(inbound));
  }

  private responder(inbound: TelegramInbound): Responder {
    const context: TelegramReplyContext = {
      senderId: inbound.sender.id,
      direct: inbound.direct,
      replyTo: inbound.replyTo,
    };
    return {
      reply: async (reply) => {
        // The message held a secret (a master password): gone from the chat before anything else.
        if (reply.deleteInbound && inbound.messageId !== undefined)
          await this.sender.deleteMessages(inbound.address.channel, [inbound.messageId]);
        await this.sender.send(inbound.address, reply, context);
      },
      activity: (what) => this.sender.activity(inbound.address, what),
    };
  }

  private toGateway(inbound: TelegramInbound) {
    let text = inbound.text;
    let agentHint: number | undefined;
    if (inbound.command) {
      agentHint = this.agentFor(inbound.command);
      // A command that names no agent may still name a tool ("/remember milk"): keep its word.
      if (agentHint === undefined) text = [inbound.command, text].filter(Boolean).join(' ');
    }
    return {
      platform: 'telegram' as const,
      eventId: inbound.eventId,
      address: inbound.address,
      sender: inbound.sender,
      text,
      audio: inbound.audio && this.audio(inbound.audio),
      agentHint,
      direct: inbound.direct,
      messageId: inbound.messageId === undefined ? undefined : String(inbound.messageId),
    };
  }

  /** /15 -> 15, /invoicing -> its number, /invoice -> the one agent whose name starts with it. */
  private agentFor(command: string): number | undefined {
    if (/^\d{1,3}$/.test(command)) return Number(command);
    const exact = this.registry.findByName(command);
    if (exact) return exact.agentNumber;
    const prefixed = this.registry.list().filter((a) => a.name.startsWith(command));
    return prefixed.length === 1 ? prefixed[0]!.agentNumber : undefined;
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
        const file = await this.bot.api.getFile(ref.fileId);
        if (!file.file_path) throw new Error('Telegram returned no file path');
        let response: Response;
        try {
          response = await fetch(`${this.apiRoot}/file/bot${this.settings.botToken}/${file.file_path}`);
        } catch (err) {
          // eslint-disable-next-line preserve-caught-error -- the original error may carry the URL, which holds the token
          throw new Error(`file download failed: ${this.scrub(err instanceof Error ? err.message : String(err))}`);
        }
        if (!response.ok) throw new Error(`file download answered HTTP ${response.status}`);
        return Buffer.from(await response.arrayBuffer());
      },
    };
  }
}
