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
import type { Update } from 'grammy/types';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { PROCESS_ROLE, type ProcessRole } from '../../config/process-role.js';
import { UserRepository } from '../../orchestrator/identity/user.repository.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import { KeyValueStore } from '../../orchestrator/kv/key-value-store.port.js';
import type { AdapterStatus, ChatAdapter, ChatAddress, Reply } from '../chat.contract.js';
import { AdapterHub, BackgroundStarter, scrub } from '../core/adapter-hub.js';
import { ChatGateway } from '../core/chat-gateway.service.js';
import { EventDeduper } from '../core/event-deduper.js';
import { ButtonStore } from '../core/button-store.js';
import { InFlight, shutdownAdapter } from '../core/shutdown.js';
import { TelegramInbound } from './telegram.inbound.js';
import { TelegramPoller } from './telegram.poller.js';
import { TelegramSender } from './telegram.sender.js';

const DEFAULT_API_ROOT = 'https://api.telegram.org';

/**
 * Telegram through grammY. Updates arrive by webhook (POST /telegram/webhook, when a secret is set)
 * or long polling (one process at a time); each is acknowledged at once and answered in the
 * background (telegram.inbound) through the ChatGateway. This class owns the lifecycle: the bot,
 * getMe with backoff, polling, health, shutdown. Outbound `send` needs only the Bot API client, so
 * workers can deliver digests too.
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
  private readonly inFlight: InFlight;

  constructor(
    private readonly hub: AdapterHub,
    gateway: ChatGateway,
    deduper: EventDeduper,
    users: UserRepository,
    registry: AgentRegistry,
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
    this.sender = new TelegramSender(this.bot.api, new ButtonStore(kv, 'telegram'), () =>
      this.bot.isInited() ? this.bot.botInfo.username : undefined,
    );
    this.inFlight = new InFlight(
      this.logger,
      (err) => `Telegram update failed: ${this.scrub(err instanceof Error ? err.message : String(err))}`,
    );
    const inbound = new TelegramInbound(this.bot.api, gateway, deduper, users, registry, this.sender, (path) =>
      this.download(path),
    );
    this.bot.on('message', (ctx) =>
      this.inFlight.track(inbound.onMessage(ctx.update.update_id, ctx.message, this.bot.botInfo)),
    );
    this.bot.on('callback_query', (ctx) => this.inFlight.track(inbound.onCallback(ctx.callbackQuery)));
    this.bot.catch((err) => this.logger.error(`update failed: ${this.scrub(err.message)}`));
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
    const poller = this.poller;
    await shutdownAdapter({
      starter: this.starter,
      closeInbound: poller && (() => poller.stop()),
      inFlight: this.inFlight,
    });
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
    this.inFlight.track(this.bot.handleUpdate(update));
  }

  private get secrets(): string[] {
    return [this.settings.botToken, this.settings.webhookSecret ?? ''];
  }

  private scrub(text: string): string {
    return scrub(text, this.secrets);
  }

  /** A file from Telegram's storage; errors never carry the URL, which contains the token. */
  private async download(filePath: string): Promise<Buffer> {
    let response: Response;
    try {
      response = await fetch(`${this.apiRoot}/file/bot${this.settings.botToken}/${filePath}`);
    } catch (err) {
      // eslint-disable-next-line preserve-caught-error -- the original error may carry the URL, which holds the token
      throw new Error(`file download failed: ${this.scrub(err instanceof Error ? err.message : String(err))}`);
    }
    if (!response.ok) throw new Error(`file download answered HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }
}
