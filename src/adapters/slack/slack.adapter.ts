import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import bolt from '@slack/bolt';
import { LogLevel, WebClient, type Logger as SlackLogger } from '@slack/web-api';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { PROCESS_ROLE, type ProcessRole } from '../../config/process-role.js';
import type {
  AdapterStatus,
  ChatAdapter,
  ChatAddress,
  InboundAudio,
  InboundMessage,
  Reply,
  Responder,
} from '../chat.contract.js';
import { AdapterHub, BackgroundStarter, scrub } from '../core/adapter-hub.js';
import { ChannelPacer } from '../core/channel-pacer.js';
import { ChatGateway } from '../core/chat-gateway.service.js';
import { CHOICE_ACTION_PREFIX, SECRET_ACTION, SECRET_VIEW, toBlocks } from './slack.mrkdwn.js';
import { Clock } from '../../common/clock.js';
import { NestSlackReceiver } from './slack.receiver.js';
import { SlackSocketReceiver } from './slack.socket-receiver.js';

/** A file shared with a message, as the Events API describes it. */
interface SharedFile {
  name?: string | null;
  mimetype?: string;
  url_private_download?: string;
}

/**
 * Slack through Bolt: `/paios` (and one slash command per agent when configured), app mentions,
 * direct messages and button presses, over HTTP events (signature checked) or Socket Mode. Answers
 * go to the thread they came from (slash commands through response_url), files through Slack's
 * external upload flow. Outbound sending works in every process, so digests go out from workers.
 */
@Injectable()
export class SlackAdapter implements ChatAdapter, OnModuleInit, OnApplicationShutdown {
  readonly platform = 'slack' as const;
  readonly client: WebClient;
  /** Set in the server when HTTP events are on (no SLACK_APP_TOKEN). */
  receiver?: NestSlackReceiver;
  /** Set in the server in Socket Mode (SLACK_APP_TOKEN). */
  private socket?: SlackSocketReceiver;
  private app?: App;
  private starter?: BackgroundStarter;
  private readonly pacer = new ChannelPacer(1000);
  private readonly logger = new Logger('Slack');
  private readonly settings: NonNullable<PaiosConfig['slack']>;

  constructor(
    private readonly hub: AdapterHub,
    private readonly gateway: ChatGateway,
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
    private readonly clock: Clock,
  ) {
    this.settings = config.slack!;
    // Retries 429s after their Retry-After and 5xx with backoff (the SDK's default policy).
    this.client = new WebClient(this.settings.botToken, {
      slackApiUrl: this.apiUrl,
      logger: this.sdkLogger(),
      logLevel: LogLevel.ERROR,
    });
  }

  private get apiUrl(): string | undefined {
    const url = this.settings.apiUrl;
    return url && !url.endsWith('/') ? `${url}/` : url;
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
    this.receiver = s.appToken ? undefined : new NestSlackReceiver(s.signingSecret!, this.clock);
    this.socket = s.appToken
      ? new SlackSocketReceiver(s.appToken, this.apiUrl, this.sdkLogger(), LogLevel.ERROR)
      : undefined;
    this.app = new bolt.App({
      token: s.botToken,
      receiver: this.socket ?? this.receiver,
      clientOptions: { slackApiUrl: this.apiUrl },
      logger: this.sdkLogger(),
      logLevel: LogLevel.ERROR,
      deferInitialization: true,
    });
    this.listen(this.app);
    const app = this.app;
    this.starter = new BackgroundStarter(
      'Slack',
      async () => {
        await app.init(); // auth.test: learns the bot's own ids
        if (s.appToken) await app.start();
        if (this.receiver) this.receiver.ready = true;
      },
      [s.botToken, s.appToken, s.signingSecret],
      this.logger,
    );
    this.starter.begin();
  }

  async onApplicationShutdown(): Promise<void> {
    this.starter?.stop();
    // Always disconnect: a socket that connected (or is reconnecting) keeps the process alive otherwise.
    if (this.socket) {
      const settle = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
      await Promise.race([this.socket.stop().catch(() => undefined), settle]);
    }
  }

  status(): AdapterStatus {
    const modes = this.role !== 'server' ? ['outbound'] : this.settings.appToken ? ['socket-mode'] : ['http'];
    return {
      platform: 'slack',
      state: this.starter?.state ?? 'ready',
      lastError: this.starter?.lastError,
      modes,
    };
  }

  async send(address: ChatAddress, reply: Reply): Promise<void> {
    await this.post(address, reply);
  }

  private listen(app: App): void {
    const commands: Record<string, number | undefined> = { '/paios': undefined, ...this.settings.agentCommands };
    for (const [name, agent] of Object.entries(commands)) {
      app.command(name, async ({ command, ack, respond }) => {
        await ack();
        const address: ChatAddress = { platform: 'slack', workspace: command.team_id, channel: command.channel_id };
        const text = agent === undefined ? `/paios ${command.text}` : command.text;
        this.dispatch(
          {
            platform: 'slack',
            eventId: `command:${command.trigger_id}`,
            address,
            sender: { id: command.user_id, name: command.user_name },
            text: text.trim() === '/paios' ? 'help' : text,
            agentHint: agent,
            direct: command.channel_name === 'directmessage',
          },
          this.viaResponseUrl(respond, address),
        );
      });
    }

    app.event('app_mention', async ({ event, body }) => {
      if (!event.user || event.bot_id) return;
      const address: ChatAddress = {
        platform: 'slack',
        workspace: body.team_id,
        channel: event.channel,
        thread: event.thread_ts ?? event.ts,
      };
      this.dispatch(
        {
          platform: 'slack',
          eventId: body.event_id,
          address,
          sender: { id: event.user },
          text: event.text.replace(/<@[A-Z0-9]+>/g, '').trim(),
          audio: this.audioOf(event.files),
          direct: false,
        },
        this.inThread(address, event.user),
      );
    });

    app.message(async ({ message, body }) => {
      // Direct messages only: in channels paios answers mentions, not every message.
      if (message.channel_type !== 'im') return;
      if (message.subtype !== undefined && message.subtype !== 'file_share') return;
      if (!('user' in message) || !message.user || ('bot_id' in message && message.bot_id)) return;
      const address: ChatAddress = {
        platform: 'slack',
        workspace: (body as { team_id: string }).team_id,
        channel: message.channel,
        thread: message.thread_ts,
      };
      this.dispatch(
        {
          platform: 'slack',
          eventId: (body as { event_id: string }).event_id,
          address,
          sender: { id: message.user },
          text: message.text ?? '',
          audio: this.audioOf((message as { files?: SharedFile[] }).files),
          direct: true,
        },
        this.inThread(address, message.user),
      );
    });

    this.listenForSecrets(app);
    app.action<BlockAction<ButtonAction>>(
      new RegExp(`^${CHOICE_ACTION_PREFIX}`),
      async ({ ack, body, action, respond }) => {
        await ack();
        const channel = body.channel?.id;
        if (!channel) return;
        const message = body.message as { ts?: string; thread_ts?: string } | undefined;
        const address: ChatAddress = {
          platform: 'slack',
          workspace: body.team?.id ?? '',
          channel,
          thread: message?.thread_ts ?? message?.ts,
        };
        const direct = channel.startsWith('D');
        this.dispatch(
          {
            platform: 'slack',
            eventId: `action:${body.trigger_id}`,
            address,
            sender: { id: body.user.id, name: body.user.name },
            text: action.value ?? '',
            direct,
          },
          body.container?.is_ephemeral ? this.viaResponseUrl(respond, address) : this.inThread(address, body.user.id),
        );
      },
    );
  }

  /**
   * Secrets are typed into a modal, never into the conversation: the button opens it (checking the
   * prompt is open and the presser's), the submission goes to the gateway with the prompt's token,
   * and the answer is ephemeral where the button was.
   */
  private listenForSecrets(app: App): void {
    app.action<BlockAction<ButtonAction>>(SECRET_ACTION, async ({ ack, body, action, client }) => {
      await ack();
      const channel = body.channel?.id ?? '';
      const message = body.message as { ts?: string; thread_ts?: string } | undefined;
      const address: ChatAddress = {
        platform: 'slack',
        workspace: body.team?.id ?? '',
        channel,
        thread: message?.thread_ts,
      };
      const prompt = await this.gateway.promptFor('slack', body.user.id, address, action.value ?? '');
      if (!prompt) {
        await client.chat.postEphemeral({ channel, user: body.user.id, text: 'That request has expired; ask again.' });
        return;
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: SECRET_VIEW,
          private_metadata: JSON.stringify({ token: prompt.token, address }),
          title: { type: 'plain_text', text: 'paios vault' },
          submit: { type: 'plain_text', text: 'Send' },
          close: { type: 'plain_text', text: 'Cancel' },
          blocks: [
            {
              type: 'input',
              block_id: 'secret',
              label: { type: 'plain_text', text: prompt.label.slice(0, 2000) },
              element: { type: 'plain_text_input', action_id: 'value', min_length: 1 },
            },
            {
              type: 'context',
              elements: [{ type: 'mrkdwn', text: 'Sent to paios only; it is not posted to the conversation.' }],
            },
          ],
        },
      });
    });

    app.view(SECRET_VIEW, async ({ ack, body, view }) => {
      await ack();
      const meta = JSON.parse(view.private_metadata) as { token: string; address: ChatAddress };
      const value = view.state.values.secret?.value?.value ?? '';
      const direct = meta.address.channel.startsWith('D');
      void this.gateway.submitSecret(
        { platform: 'slack', senderId: body.user.id, address: meta.address, token: meta.token, value, direct },
        this.inThread(meta.address, body.user.id),
      );
    });
  }

  /** Hands the message to the gateway without holding up the ack. */
  private dispatch(msg: InboundMessage, responder: Responder): void {
    void this.gateway.receive(msg, responder);
  }

  /** Slash commands and presses on ephemeral messages answer through their response_url. */
  private viaResponseUrl(respond: RespondFn, address: ChatAddress): Responder {
    return {
      reply: async (reply) => {
        const { text, blocks } = toBlocks(reply);
        await respond({ response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', text, blocks });
        // Files cannot ride on a response_url; they are shared in the channel unless the answer is private.
        if (!reply.ephemeral) await this.upload(address, reply);
      },
    };
  }

  /** Mentions and DMs answer in the thread (or DM) they came from; private answers are ephemeral. */
  private inThread(address: ChatAddress, user: string): Responder {
    return {
      reply: async (reply) => {
        // Private answers are ephemeral even in a DM: they vanish from Slack's history.
        if (reply.ephemeral) {
          const { text, blocks } = toBlocks(reply);
          await this.client.chat.postEphemeral({
            channel: address.channel,
            user,
            text,
            blocks,
            thread_ts: address.thread,
          });
          return;
        }
        await this.post(address, reply);
      },
    };
  }

  private async post(address: ChatAddress, reply: Reply): Promise<void> {
    const { text, blocks } = toBlocks(reply);
    await this.pacer.run(address.channel, () =>
      this.client.chat.postMessage({ channel: address.channel, text, blocks, thread_ts: address.thread }),
    );
    await this.upload(address, reply);
  }

  /** PNGs, PDFs and spoken replies through files.getUploadURLExternal -> upload -> completeUploadExternal. */
  private async upload(address: ChatAddress, reply: Reply): Promise<void> {
    const files = [...(reply.attachments ?? []), ...(reply.voice ? [reply.voice] : [])];
    if (files.length === 0) return;
    await this.pacer.run(address.channel, () =>
      this.client.filesUploadV2({
        channel_id: address.channel,
        ...(address.thread ? { thread_ts: address.thread } : {}),
        file_uploads: files.map((f) => ({
          file: Buffer.from(f.data, 'base64'),
          filename: f.filename,
          title: f.filename,
        })),
      }),
    );
  }

  /** The first audio or video clip shared with a message, downloaded with the bot token when needed. */
  private audioOf(files: SharedFile[] | undefined): InboundAudio | undefined {
    const clip = files?.find((f) => /^(audio|video)\//.test(f.mimetype ?? '') && f.url_private_download);
    if (!clip) return undefined;
    const url = clip.url_private_download!;
    const token = this.settings.botToken;
    return {
      mimeType: clip.mimetype!,
      filename: clip.name ?? 'clip',
      load: async () => {
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        if (!res.ok) throw new Error(`Slack file download answered ${res.status}`);
        return Buffer.from(await res.arrayBuffer());
      },
    };
  }

  /** Bolt's and the Web API's log lines, through Nest's logger, with tokens scrubbed. */
  private sdkLogger(): SlackLogger {
    const secrets = [this.settings.botToken, this.settings.appToken, this.settings.signingSecret];
    const line = (args: unknown[]) =>
      scrub(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '), secrets);
    let level = LogLevel.ERROR;
    return {
      debug: () => undefined,
      info: () => undefined,
      warn: (...args: unknown[]) => this.logger.warn(line(args)),
      error: (...args: unknown[]) => this.logger.error(line(args)),
      setLevel: (l: LogLevel) => void (level = l),
      getLevel: () => level,
      setName: () => undefined,
    };
  }
}
