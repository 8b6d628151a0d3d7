import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { REST, type RawFile } from '@discordjs/rest';
import {
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  Routes,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIChannel,
  GatewayDispatchEvents,
  type APIInteraction,
  type GatewayDispatchPayload,
  type APIInteractionResponse,
  type APIModalSubmission,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { Client, GatewayIntentBits, Partials, type Message } from 'discord.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { PROCESS_ROLE, type ProcessRole } from '../../config/process-role.js';
import { UserRepository } from '../../orchestrator/identity/user.repository.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import { KeyValueStore } from '../../orchestrator/kv/key-value-store.port.js';
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
import { ButtonStore } from '../core/button-store.js';
import { ChannelPacer } from '../core/channel-pacer.js';
import { ChatGateway } from '../core/chat-gateway.service.js';
import { splitText } from '../core/text.js';
import { DiscordChannels } from './discord-channels.js';

const MAX_CONTENT = 2000;
const CREATE_CHANNEL = /^(?:please\s+)?(?:create|make|open)\s+(?:a\s+)?channel\s+for\s+(?:agent\s+)?#?(\d{1,3})\b/i;

/** The slash commands paios registers (global application commands). */
export const DISCORD_COMMANDS = [
  {
    name: 'paios',
    description: 'Ask paios anything (#15 ..., @invoicing ... to pick an agent)',
    options: [{ type: 3, name: 'text', description: 'What you want', required: true }],
  },
  {
    name: 'paios-channel',
    description: 'Create a channel where every message goes to one agent',
    options: [
      { type: 4, name: 'agent', description: 'Agent number, e.g. 15', required: true, min_value: 1, max_value: 999 },
    ],
  },
];

/**
 * Discord through discord.js: the gateway bot for messages (every message in a channel bound to an
 * agent, DMs, mentions elsewhere), and interactions over HTTP (slash commands and buttons, Ed25519
 * checked by the controller) answered with a deferred response within 3 s and then edited in.
 * Outbound goes through @discordjs/rest, which waits out 429s; every process can send.
 */
@Injectable()
export class DiscordAdapter implements ChatAdapter, OnModuleInit, OnApplicationShutdown {
  readonly platform = 'discord' as const;
  readonly rest: REST;
  private client?: Client;
  private starter?: BackgroundStarter;
  private readonly pacer = new ChannelPacer(1000);
  private readonly buttons: ButtonStore;
  private readonly logger = new Logger('Discord');
  private readonly settings: NonNullable<PaiosConfig['discord']>;

  constructor(
    private readonly hub: AdapterHub,
    private readonly gateway: ChatGateway,
    private readonly channels: DiscordChannels,
    private readonly users: UserRepository,
    private readonly registry: AgentRegistry,
    kv: KeyValueStore,
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {
    this.settings = config.discord!;
    this.rest = new REST({ version: '10', ...(this.settings.apiUrl ? { api: this.settings.apiUrl } : {}) }).setToken(
      this.settings.botToken,
    );
    this.buttons = new ButtonStore(kv, 'discord');
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

  async onApplicationShutdown(): Promise<void> {
    this.starter?.stop();
    await this.client?.destroy();
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
    await this.post(address.thread ?? address.channel, reply);
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
    client.on('messageCreate', (message) => void this.onMessage(message));
    // Without an Interactions Endpoint URL, Discord delivers slash commands, buttons and modals over
    // the gateway: the same handling, with the initial response posted to the callback route.
    client.on('raw', (packet: GatewayDispatchPayload) => {
      if (packet.t === GatewayDispatchEvents.InteractionCreate) void this.onGatewayInteraction(packet.d);
    });
    client.on('error', (err) => this.logger.warn(`gateway: ${scrub(err.message, [this.settings.botToken])}`));
    this.client = client;
    await new Promise<void>((resolve, reject) => {
      client.once('clientReady', () => resolve());
      client.login(this.settings.botToken).catch(reject);
    });
  }

  private async onMessage(message: Message): Promise<void> {
    const me = this.client?.user?.id;
    if (message.author.bot || message.author.id === me) return;
    const direct = message.channel.isDMBased();
    const bound = direct ? undefined : await this.channels.agentFor(message.channelId);
    const mentioned = me !== undefined && message.mentions.users.has(me);
    if (!direct && bound === undefined && !mentioned) return;

    const text = message.content.replace(/<@!?\d+>/g, '').trim();
    const address: ChatAddress = {
      platform: 'discord',
      workspace: message.guildId ?? '',
      channel: message.channelId,
    };
    const create = CREATE_CHANNEL.exec(text);
    if (create && message.guildId) {
      const answer = await this.createAgentChannel(message.author.id, message.guildId, Number(create[1]));
      await this.post(message.channelId, { text: answer });
      return;
    }
    this.dispatch(
      {
        platform: 'discord',
        eventId: `message:${message.id}`,
        address,
        sender: { id: message.author.id, name: message.author.username },
        text,
        audio: this.audioOf(message),
        agentHint: bound,
        direct,
      },
      {
        reply: async (reply) => {
          // Private answers in a shared channel go to the person's DMs instead.
          if (reply.ephemeral && !direct) await this.post(await this.dmChannel(message.author.id), reply);
          else await this.post(message.channelId, reply);
        },
        activity: async () =>
          void (await this.rest.post(Routes.channelTyping(message.channelId)).catch(() => undefined)),
      },
    );
  }

  /**
   * An interaction (HTTP, signature checked; or from the gateway): the answer Discord needs within
   * 3 s, with the work continuing after it. Nothing is sent about it before `acknowledged` settles:
   * the initial response must reach Discord first.
   */
  async onInteraction(
    interaction: APIInteraction,
    acknowledged: Promise<unknown> = Promise.resolve(),
  ): Promise<APIInteractionResponse> {
    const followUp = (reply: Reply, editOriginal: boolean, ephemeral?: boolean) =>
      acknowledged.then(() => this.followUp(interaction, reply, editOriginal, ephemeral));
    if (interaction.type === InteractionType.Ping) return { type: InteractionResponseType.Pong };
    const user = interaction.member?.user ?? interaction.user;
    const channel = interaction.channel?.id ?? interaction.channel_id;
    if (!user || !channel) return { type: InteractionResponseType.DeferredMessageUpdate };
    const address: ChatAddress = { platform: 'discord', workspace: interaction.guild_id ?? '', channel };
    const base = {
      platform: 'discord' as const,
      eventId: `interaction:${interaction.id}`,
      address,
      sender: { id: user.id, name: user.username },
      direct: interaction.guild_id === undefined,
    };

    if (interaction.type === InteractionType.ApplicationCommand && 'options' in interaction.data) {
      const options = Object.fromEntries(
        (interaction.data.options ?? []).map((o) => [o.name, 'value' in o ? o.value : undefined]),
      );
      if (interaction.data.name === 'paios-channel') {
        void (async () => {
          const answer = interaction.guild_id
            ? await this.createAgentChannel(user.id, interaction.guild_id, Number(options.agent))
            : 'Agent channels live in a server, not in direct messages.';
          await followUp({ text: answer }, true);
        })().catch((err: unknown) => this.logger.warn(`paios-channel failed: ${String(err)}`));
        return {
          type: InteractionResponseType.DeferredChannelMessageWithSource,
          data: { flags: MessageFlags.Ephemeral },
        };
      }
      this.dispatch(
        { ...base, text: String(options.text ?? '') },
        this.interactionResponder(interaction, true, acknowledged),
      );
      return { type: InteractionResponseType.DeferredChannelMessageWithSource };
    }
    if (interaction.type === InteractionType.MessageComponent && interaction.data.custom_id.startsWith(SECRET_ID)) {
      // A secret is typed into a modal: shown only if the prompt is still open and the presser's own.
      const prompt = await this.gateway.promptFor(
        'discord',
        user.id,
        address,
        interaction.data.custom_id.slice(SECRET_ID.length),
      );
      if (!prompt)
        return {
          type: InteractionResponseType.ChannelMessageWithSource,
          data: { content: 'That request has expired; ask again.', flags: MessageFlags.Ephemeral },
        };
      return {
        type: InteractionResponseType.Modal,
        data: {
          custom_id: `${SECRET_ID}${prompt.token}`,
          title: 'paios vault',
          components: [
            {
              type: ComponentType.Label,
              label: prompt.label.slice(0, 45),
              description: 'Sent to paios only; it is not posted to the conversation.',
              component: {
                type: ComponentType.TextInput,
                custom_id: 'value',
                style: TextInputStyle.Short,
                required: true,
              },
            },
          ],
        },
      };
    }
    if (interaction.type === InteractionType.ModalSubmit && interaction.data.custom_id.startsWith(SECRET_ID)) {
      const value = modalValue(interaction.data);
      const token = interaction.data.custom_id.slice(SECRET_ID.length);
      void this.gateway.submitSecret(
        { platform: 'discord', senderId: user.id, address, token, value, direct: base.direct },
        // The deferred answer is already private: the result replaces it.
        { reply: (reply) => followUp(reply, true, false) },
      );
      return {
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: { flags: MessageFlags.Ephemeral },
      };
    }
    if (interaction.type === InteractionType.MessageComponent) {
      const value = await this.buttons.get(interaction.data.custom_id);
      if (value === undefined) {
        void followUp({ text: 'That button has expired; please ask again.' }, false, true).catch(() => undefined);
        return { type: InteractionResponseType.DeferredMessageUpdate };
      }
      this.dispatch({ ...base, text: value }, this.interactionResponder(interaction, false, acknowledged));
      return { type: InteractionResponseType.DeferredMessageUpdate };
    }
    return { type: InteractionResponseType.DeferredMessageUpdate };
  }

  private async onGatewayInteraction(interaction: APIInteraction): Promise<void> {
    let acknowledge!: () => void;
    const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
    try {
      const response = await this.onInteraction(interaction, acknowledged);
      await this.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: response,
        auth: false,
      });
    } catch (err) {
      this.logger.warn(`interaction ${interaction.id} not answered: ${scrub(String(err), [this.settings.botToken])}`);
    } finally {
      acknowledge();
    }
  }

  private dispatch(msg: InboundMessage, responder: Responder): void {
    void this.gateway.receive(msg, responder);
  }

  /** The first reply replaces the deferred "thinking..." message (slash commands) or follows up (buttons). */
  private interactionResponder(
    interaction: APIInteraction,
    editOriginal: boolean,
    acknowledged: Promise<unknown>,
  ): Responder {
    let first = editOriginal;
    return {
      reply: async (reply) => {
        await acknowledged;
        const edit = first;
        first = false;
        await this.followUp(interaction, reply, edit);
      },
    };
  }

  private async followUp(
    interaction: APIInteraction,
    reply: Reply,
    editOriginal: boolean,
    ephemeral = reply.ephemeral,
  ): Promise<void> {
    const appId = interaction.application_id;
    const parts = splitText(reply.text, MAX_CONTENT);
    for (const [i, content] of parts.entries()) {
      const last = i === parts.length - 1;
      const body = await this.messageBody(content, last ? reply : { text: content });
      const files = last ? this.filesOf(reply) : [];
      if (i === 0 && editOriginal && !ephemeral) {
        await this.rest.patch(Routes.webhookMessage(appId, interaction.token, '@original'), { body, files });
        continue;
      }
      if (i === 0 && editOriginal && ephemeral) {
        // A deferred public answer cannot turn private: remove it and answer privately instead.
        await this.rest.delete(Routes.webhookMessage(appId, interaction.token, '@original')).catch(() => undefined);
      }
      await this.rest.post(Routes.webhook(appId, interaction.token), {
        body: { ...body, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) },
        files,
        auth: false,
      });
    }
  }

  /** Posts a reply to a channel: parts of at most 2000 characters, buttons and files on the last. */
  private async post(channelId: string, reply: Reply): Promise<void> {
    const parts = splitText(reply.text, MAX_CONTENT);
    const sent: string[] = [];
    for (const [i, content] of parts.entries()) {
      const last = i === parts.length - 1;
      const body = await this.messageBody(content, last ? reply : { text: content });
      const files = last ? this.filesOf(reply) : [];
      const message = (await this.pacer.run(channelId, () =>
        this.rest.post(Routes.channelMessages(channelId), { body, files }),
      )) as { id?: string } | undefined;
      if (message?.id) sent.push(message.id);
    }
    if (reply.deleteAfterSeconds && sent.length) {
      // A revealed secret does not stay in the DM (the bot may delete its own messages).
      const timer = setTimeout(() => {
        for (const id of sent)
          void this.rest
            .delete(Routes.channelMessage(channelId, id))
            .catch((err: unknown) =>
              this.logger.warn(`could not delete message ${id}: ${scrub(String(err), [this.settings.botToken])}`),
            );
      }, reply.deleteAfterSeconds * 1000);
      timer.unref();
    }
  }

  private async messageBody(content: string, reply: Reply): Promise<RESTPostAPIChannelMessageJSONBody> {
    const body: RESTPostAPIChannelMessageJSONBody = { content, allowed_mentions: { parse: [] } };
    if (reply.buttons?.length) {
      const components: APIButtonComponent[] = [];
      for (const b of reply.buttons.slice(0, 5))
        components.push({
          type: ComponentType.Button,
          style:
            b.style === 'danger'
              ? ButtonStyle.Danger
              : b.style === 'primary'
                ? ButtonStyle.Primary
                : ButtonStyle.Secondary,
          label: b.label.slice(0, 80),
          custom_id: await this.buttons.put(b.value),
        });
      const row: APIActionRowComponent<APIButtonComponent> = { type: ComponentType.ActionRow, components };
      body.components = [row];
    }
    if (reply.secretPrompt) {
      const open: APIButtonComponent = {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: `Enter ${reply.secretPrompt.label.toLowerCase()}`.slice(0, 80),
        custom_id: `${SECRET_ID}${reply.secretPrompt.token}`,
      };
      body.components = [...(body.components ?? []), { type: ComponentType.ActionRow, components: [open] }];
    }
    const files = this.filesOf(reply);
    if (files.length) body.attachments = files.map((f, id) => ({ id, filename: f.name }));
    return body;
  }

  private filesOf(reply: Reply): RawFile[] {
    return [...(reply.attachments ?? []), ...(reply.voice ? [reply.voice] : [])].map((a) => ({
      name: a.filename,
      data: Buffer.from(a.data, 'base64'),
      contentType: a.mimeType,
    }));
  }

  private async dmChannel(userId: string): Promise<string> {
    const dm = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
    return dm.id;
  }

  /** "create a channel for #15": a text channel named for the agent, bound to it. Paired people only. */
  private async createAgentChannel(platformUserId: string, guildId: string, agentNumber: number): Promise<string> {
    const user = await this.users.findByIdentity({ platform: 'discord', platformUserId, workspace: '' });
    if (!user)
      return 'Only people paired with this paios can create agent channels; send me a message to get a pairing code.';
    const agent = this.registry.get(agentNumber);
    if (!agent) return `There is no agent #${agentNumber}.`;
    const already = await this.channels.existing(guildId, agentNumber);
    if (already) return `Agent #${agentNumber} already has a channel here: <#${already}>.`;
    const created = (await this.rest.post(Routes.guildChannels(guildId), {
      body: {
        name: `agent-${agentNumber}-${agent.name}`.slice(0, 100),
        type: 0,
        topic: `#${agentNumber} ${agent.name}: ${agent.description}`.slice(0, 1024),
      },
      reason: `paios: channel for agent #${agentNumber}`,
    })) as APIChannel;
    await this.channels.bind(created.id, guildId, agentNumber, user.id);
    return `Created <#${created.id}>: everything said there goes to #${agentNumber} ${agent.name}.`;
  }

  /** Audio attachments and voice messages (OGG/Opus) become audio to transcribe. */
  private audioOf(message: Message): InboundAudio | undefined {
    const voice = message.flags.has(MessageFlags.IsVoiceMessage);
    const clip = message.attachments.find((a) => voice || /^(audio|video)\//.test(a.contentType ?? ''));
    if (!clip) return undefined;
    return {
      mimeType: clip.contentType ?? 'audio/ogg',
      filename: clip.name,
      durationSeconds: clip.duration ?? undefined,
      load: async () => {
        const res = await fetch(clip.url);
        if (!res.ok) throw new Error(`Discord attachment download answered ${res.status}`);
        return Buffer.from(await res.arrayBuffer());
      },
    };
  }
}

/** Custom ids of the button and modal that take a secret; the rest is the prompt's token. */
const SECRET_ID = 'paios-secret:';

/** The text typed into a secret modal (a Label holding a TextInput; older clients send an action row). */
function modalValue(data: APIModalSubmission): string {
  for (const c of data.components) {
    if (c.type === ComponentType.Label && c.component.type === ComponentType.TextInput) return c.component.value;
    if (c.type === ComponentType.ActionRow)
      for (const input of c.components) if (input.custom_id === 'value') return input.value;
  }
  return '';
}
