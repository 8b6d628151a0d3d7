import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import bolt from '@slack/bolt';
import { LogLevel, WebClient } from '@slack/web-api';
import { Clock } from '../../common/clock.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { PROCESS_ROLE, type ProcessRole } from '../../config/process-role.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import type { AdapterStatus, ChatAdapter, ChatAddress, Reply } from '../chat.contract.js';
import { AdapterHub, BackgroundStarter, scrub } from '../core/adapter-hub.js';
import { ChatGateway } from '../core/chat-gateway.service.js';
import { downloadFile } from '../core/outbound.js';
import { InFlight, shutdownAdapter } from '../core/shutdown.js';
import { SlackInbound } from './slack.inbound.js';
import { slackLogger } from './slack.logger.js';
import { NestSlackReceiver } from './slack.receiver.js';
import { SlackSender } from './slack.sender.js';
import { SlackSocketReceiver } from './slack.socket-receiver.js';

/**
 * Slack through Bolt: `/paios` (and one slash command per agent when configured), app mentions,
 * direct messages and button presses, over HTTP events (signature checked) or Socket Mode. This
 * class owns the lifecycle (connect with backoff, health, shutdown); slack.inbound maps and answers
 * events, slack.sender delivers. Outbound sending works in every process, so digests go out from
 * workers.
 */
@Injectable()
export class SlackAdapter implements ChatAdapter, OnModuleInit, OnModuleDestroy {
  readonly platform = 'slack' as const;
  readonly client: WebClient;
  /** Set in the server when HTTP events are on (no SLACK_APP_TOKEN). */
  receiver?: NestSlackReceiver;
  /** Set in the server in Socket Mode (SLACK_APP_TOKEN). */
  private socket?: SlackSocketReceiver;
  private starter?: BackgroundStarter;
  private readonly sender: SlackSender;
  private readonly logger = new Logger('Slack');
  private readonly inFlight: InFlight;
  private readonly settings: NonNullable<PaiosConfig['slack']>;

  constructor(
    private readonly hub: AdapterHub,
    private readonly gateway: ChatGateway,
    private readonly registry: AgentRegistry,
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
    private readonly clock: Clock,
  ) {
    this.settings = config.slack!;
    // Retries 429s after their Retry-After and 5xx with backoff (the SDK's default policy).
    this.client = new WebClient(this.settings.botToken, {
      slackApiUrl: this.apiUrl,
      logger: slackLogger(this.logger, this.secrets),
      logLevel: LogLevel.ERROR,
    });
    this.sender = new SlackSender(this.client);
    this.inFlight = new InFlight(this.logger, (err) => `Slack event failed: ${scrub(String(err), this.secrets)}`);
  }

  private get apiUrl(): string | undefined {
    const url = this.settings.apiUrl;
    return url && !url.endsWith('/') ? `${url}/` : url;
  }

  private get secrets(): (string | undefined)[] {
    return [this.settings.botToken, this.settings.appToken, this.settings.signingSecret];
  }

  onModuleInit(): void {
    this.hub.register(this);
    if (this.role !== 'server') return;
    const s = this.settings;
    if (!s.appToken && !s.signingSecret) {
      this.logger.warn(
        'Slack: set SLACK_SIGNING_SECRET (HTTP events) or SLACK_APP_TOKEN (Socket Mode) to receive messages',
      );
      return;
    }
    const logger = slackLogger(this.logger, this.secrets);
    this.receiver = s.appToken ? undefined : new NestSlackReceiver(s.signingSecret!, this.clock);
    this.socket = s.appToken ? new SlackSocketReceiver(s.appToken, this.apiUrl, logger, LogLevel.ERROR) : undefined;
    const app = new bolt.App({
      token: s.botToken,
      receiver: this.socket ?? this.receiver,
      clientOptions: { slackApiUrl: this.apiUrl },
      logger,
      logLevel: LogLevel.ERROR,
      deferInitialization: true,
    });
    const inbound = new SlackInbound(
      this.gateway,
      this.sender,
      this.inFlight,
      { agents: this.registry, agentFor: (name) => s.agentCommands[`/${name}`] },
      (url) => downloadFile(url, 'Slack', { authorization: `Bearer ${s.botToken}` }),
    );
    inbound.listen(app, ['/paios', ...Object.keys(s.agentCommands)]);
    this.starter = new BackgroundStarter(
      'Slack',
      async () => {
        await app.init(); // auth.test: learns the bot's own ids
        if (s.appToken) await app.start();
        if (this.receiver) this.receiver.ready = true;
      },
      this.secrets,
      this.logger,
    );
    this.starter.begin();
  }

  async onModuleDestroy(): Promise<void> {
    // Always disconnect: a socket that connected (or is reconnecting) keeps the process alive otherwise.
    const socket = this.socket;
    await shutdownAdapter({
      starter: this.starter,
      closeInbound: socket && (() => socket.stop()),
      inFlight: this.inFlight,
    });
  }

  status(): AdapterStatus {
    const modes = this.role !== 'server' ? ['outbound'] : this.settings.appToken ? ['socket-mode'] : ['http'];
    return { platform: 'slack', state: this.starter?.state ?? 'ready', lastError: this.starter?.lastError, modes };
  }

  async send(address: ChatAddress, reply: Reply): Promise<void> {
    await this.sender.post(address, reply);
  }
}
