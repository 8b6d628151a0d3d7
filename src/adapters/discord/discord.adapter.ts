import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { REST } from '@discordjs/rest';
import {
  GatewayDispatchEvents,
  Routes,
  type APIInteraction,
  type APIInteractionResponse,
  type GatewayDispatchPayload,
} from 'discord-api-types/v10';
import { Client, GatewayIntentBits, Partials } from 'discord.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { PROCESS_ROLE, type ProcessRole } from '../../config/process-role.js';
import { KeyValueStore } from '../../orchestrator/kv/key-value-store.port.js';
import type { AdapterStatus, ChatAdapter, ChatAddress, Reply } from '../chat.contract.js';
import { AdapterHub, BackgroundStarter, scrub } from '../core/adapter-hub.js';
import { ButtonStore } from '../core/button-store.js';
import { ChatGateway } from '../core/chat-gateway.service.js';
import { downloadFile } from '../core/outbound.js';
import { InFlight, shutdownAdapter } from '../core/shutdown.js';
import { DiscordAgentChannels } from './discord-agent-channels.service.js';
import { DiscordInbound } from './discord.inbound.js';
import { DISCORD_COMMANDS } from './discord.mapper.js';
import { DiscordSender } from './discord.sender.js';

/**
 * Discord through discord.js: the gateway bot for messages (every message in a channel bound to an
 * agent, DMs, mentions elsewhere), and interactions over HTTP (slash commands and buttons, Ed25519
 * checked by the controller) or over the gateway. This class owns the lifecycle (command
 * registration, the gateway connection with backoff, health, shutdown); discord.inbound answers
 * events, discord.sender delivers through @discordjs/rest, which waits out 429s. Every process can send.
 */
@Injectable()
export class DiscordAdapter implements ChatAdapter, OnModuleInit, OnModuleDestroy {
  readonly platform = 'discord' as const;
  readonly rest: REST;
  private client?: Client;
  private starter?: BackgroundStarter;
  private readonly sender: DiscordSender;
  private readonly inbound: DiscordInbound;
  private readonly inFlight: InFlight;
  private readonly logger = new Logger('Discord');
  private readonly settings: NonNullable<PaiosConfig['discord']>;

  constructor(
    private readonly hub: AdapterHub,
    gateway: ChatGateway,
    channels: DiscordAgentChannels,
    kv: KeyValueStore,
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {
    this.settings = config.discord!;
    this.rest = new REST({ version: '10', ...(this.settings.apiUrl ? { api: this.settings.apiUrl } : {}) }).setToken(
      this.settings.botToken,
    );
    const buttons = new ButtonStore(kv, 'discord');
    const clean = (text: string) => scrub(text, [this.settings.botToken]);
    this.inFlight = new InFlight(this.logger, (err) => `Discord event failed: ${clean(String(err))}`);
    this.sender = new DiscordSender(this.rest, buttons, this.logger, clean);
    const download = (url: string) => downloadFile(url, 'Discord attachment');
    this.inbound = new DiscordInbound(
      gateway,
      this.sender,
      channels,
      buttons,
      this.inFlight,
      download,
      this.logger,
      clean,
    );
  }

  onModuleInit(): void {
    this.hub.register(this);
    if (this.role !== 'server') return;
    const s = this.settings;
    this.starter = new BackgroundStarter(
      'Discord',
      async () => {
        if (s.applicationId)
          await this.rest.put(Routes.applicationCommands(s.applicationId), { body: DISCORD_COMMANDS });
        if (s.gateway) await this.connectGateway();
      },
      [s.botToken],
      this.logger,
    );
    this.starter.begin();
  }

  async onModuleDestroy(): Promise<void> {
    const client = this.client;
    await shutdownAdapter({
      starter: this.starter,
      closeInbound: client && (() => client.destroy()),
      inFlight: this.inFlight,
    });
  }

  status(): AdapterStatus {
    const modes =
      this.role !== 'server'
        ? ['outbound']
        : [...(this.settings.gateway ? ['gateway'] : []), ...(this.settings.publicKey ? ['http'] : [])];
    return { platform: 'discord', state: this.starter?.state ?? 'ready', lastError: this.starter?.lastError, modes };
  }

  get publicKey(): string | undefined {
    return this.settings.publicKey;
  }

  async send(address: ChatAddress, reply: Reply): Promise<void> {
    await this.sender.post(address.thread ?? address.channel, reply);
  }

  /** An interaction that came over HTTP (signature checked by the controller). */
  onInteraction(interaction: APIInteraction): Promise<APIInteractionResponse> {
    return this.inbound.onInteraction(interaction);
  }

  private async connectGateway(): Promise<void> {
    await this.client?.destroy();
    const client = new Client({
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.MessageContent,
        GatewayIntentBits.DirectMessages,
      ],
      partials: [Partials.Channel],
      rest: this.settings.apiUrl ? { api: this.settings.apiUrl } : {},
    });
    // Messages and interactions are read from the raw dispatches, typed by discord-api-types. Without
    // an Interactions Endpoint URL, Discord delivers slash commands, buttons and modals this way.
    client.on('raw', (packet: GatewayDispatchPayload) => {
      if (packet.t === GatewayDispatchEvents.MessageCreate)
        this.inFlight.track(this.inbound.onMessage(packet.d, client.user?.id));
      else if (packet.t === GatewayDispatchEvents.InteractionCreate)
        this.inFlight.track(this.inbound.onGatewayInteraction(packet.d));
    });
    client.on('error', (err) => this.logger.warn(`gateway: ${scrub(err.message, [this.settings.botToken])}`));
    this.client = client;
    await new Promise<void>((resolve, reject) => {
      client.once('clientReady', () => resolve());
      client.login(this.settings.botToken).catch(reject);
    });
  }
}
