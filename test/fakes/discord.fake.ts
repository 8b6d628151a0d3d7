import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChannelType,
  GatewayDispatchEvents,
  GatewayOpcodes,
  type APIAttachment,
  type APIChannel,
  type APIInteraction,
  type APIInteractionResponse,
  type APIMessage,
  type APIUser,
  type GatewayDispatchPayload,
  type GatewayGuildCreateDispatchData,
  type GuildSystemChannelFlags,
  Locale,
  type ApplicationFlags,
  type GatewayReceivePayload,
  type RESTGetAPIGatewayBotResult,
} from 'discord-api-types/v10';
import { WebSocketServer, type WebSocket } from 'ws';
import { HttpFake, type FakeReply, type RecordedFile, type RecordedRequest } from './http-fake.js';

export const DISCORD_APP_ID = '100000000000000001';
export const DISCORD_GUILD = '200000000000000002';
export const DISCORD_GENERAL = '300000000000000003';
export const DISCORD_BOT: APIUser = {
  id: '400000000000000004',
  username: 'paios',
  discriminator: '0',
  global_name: 'paios',
  avatar: null,
  bot: true,
};

/** A message paios sent through REST (channel message, interaction edit or follow-up). */
export interface DiscordSent {
  route: 'channel' | 'original' | 'followup';
  channelId?: string;
  content: string;
  flags?: number;
  components?: { type: number; components: { custom_id?: string; label?: string }[] }[];
  files: RecordedFile[];
}

/**
 * A local stand-in for Discord: the REST API v10 (the routes paios uses) on HttpFake, and a gateway
 * over WebSocket that says Hello, answers Identify with READY and GUILD_CREATE, acknowledges
 * heartbeats and lets a test dispatch MESSAGE_CREATE. Shaped after the developer docs and typed with
 * discord-api-types. Also holds an Ed25519 key pair to sign interactions like Discord does.
 */
export class DiscordFake {
  readonly sent: DiscordSent[] = [];
  readonly createdChannels: APIChannel[] = [];
  /** Initial responses posted to /interactions/:id/:token/callback, in order. */
  readonly callbacks: { id: string; token: string; body: APIInteractionResponse }[] = [];
  readonly http: HttpFake;
  readonly files = new Map<string, Buffer>();
  private readonly sockets = new Set<WebSocket>();
  private wsServer?: Server;
  private wss?: WebSocketServer;
  private seq = 1;
  private nextId = 500_000_000_000_000_000n;
  private failures: { route: RegExp; retryAfter: number }[] = [];
  private readonly keys: { publicKey: KeyObject; privateKey: KeyObject };
  identified = false;

  /** Guild text channels besides #general that exist from the start. */
  constructor(
    private readonly token: string,
    private readonly extraChannels: { id: string; name: string }[] = [],
  ) {
    this.keys = generateKeyPairSync('ed25519');
    this.http = new HttpFake((req) => this.route(req));
  }

  /** The application's public key as the developer portal shows it: 64 hex characters. */
  get publicKeyHex(): string {
    const der = this.keys.publicKey.export({ format: 'der', type: 'spki' });
    return der.subarray(der.length - 32).toString('hex');
  }

  get apiUrl(): string {
    return `${this.http.url}/api`;
  }

  attachmentUrl(name: string): string {
    return `${this.http.url}/attachments/${name}`;
  }

  async start(): Promise<this> {
    await this.http.start();
    this.wsServer = createServer();
    this.wss = new WebSocketServer({ server: this.wsServer });
    this.wss.on('connection', (socket) => this.onConnection(socket));
    await new Promise<void>((r) => this.wsServer!.listen(0, '127.0.0.1', () => r()));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((r) => (this.wss ? this.wss.close(() => r()) : r()));
    await new Promise<void>((r) => (this.wsServer ? this.wsServer.close(() => r()) : r()));
    await this.http.stop();
  }

  /** Signs an interaction body as Discord does: Ed25519 over timestamp + body. */
  signInteraction(body: string, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
    const signature = sign(null, Buffer.from(timestamp + body), this.keys.privateKey).toString('hex');
    return { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
  }

  /** The next REST call whose path matches answers 429 with this retry_after (seconds). */
  rateLimitNext(route: RegExp, retryAfter = 1): void {
    this.failures.push({ route, retryAfter });
  }

  newId(): string {
    return String(this.nextId++);
  }

  /** Sends MESSAGE_CREATE to every connected gateway session. */
  dispatchMessage(message: {
    channelId: string;
    author: APIUser;
    content: string;
    attachments?: APIAttachment[];
    flags?: number;
    guild?: boolean;
    id?: string;
  }): string {
    const id = message.id ?? this.newId();
    const d: APIMessage & { guild_id?: string } = {
      id,
      channel_id: message.channelId,
      ...(message.guild === false ? {} : { guild_id: DISCORD_GUILD }),
      author: message.author,
      content: message.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: /<@!?(\d+)>/.test(message.content) && message.content.includes(DISCORD_BOT.id) ? [DISCORD_BOT] : [],
      mention_roles: [],
      attachments: message.attachments ?? [],
      embeds: [],
      pinned: false,
      type: 0,
      flags: message.flags ?? 0,
    };
    this.broadcast({
      op: GatewayOpcodes.Dispatch,
      t: GatewayDispatchEvents.MessageCreate,
      s: this.seq++,
      d,
    });
    return id;
  }

  /** Sends INTERACTION_CREATE over the gateway (an application without an Interactions Endpoint URL). */
  dispatchInteraction(interaction: APIInteraction): void {
    this.broadcast({
      op: GatewayOpcodes.Dispatch,
      t: GatewayDispatchEvents.InteractionCreate,
      s: this.seq++,
      d: interaction,
    });
  }

  private broadcast(payload: GatewayReceivePayload): void {
    for (const s of this.sockets) s.send(JSON.stringify(payload));
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: 41_250 } }));
    socket.on('message', (raw: Buffer) => {
      const msg = JSON.parse(raw.toString()) as { op: GatewayOpcodes; d: unknown };
      if (msg.op === GatewayOpcodes.Heartbeat) socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
      if (msg.op === GatewayOpcodes.Identify) {
        if ((msg.d as { token?: string }).token !== this.token) return socket.close(4004, 'Authentication failed');
        this.identified = true;
        const send = (payload: GatewayDispatchPayload) => socket.send(JSON.stringify(payload));
        send({
          op: GatewayOpcodes.Dispatch,
          t: GatewayDispatchEvents.Ready,
          s: this.seq++,
          d: {
            v: 10,
            user: DISCORD_BOT,
            guilds: [{ id: DISCORD_GUILD, unavailable: true }],
            session_id: 'fake-session',
            resume_gateway_url: this.gatewayUrl(),
            shard: [0, 1],
            application: { id: DISCORD_APP_ID, flags: 0 as ApplicationFlags, flags_new: '0' },
          },
        });
        send({
          op: GatewayOpcodes.Dispatch,
          t: GatewayDispatchEvents.GuildCreate,
          s: this.seq++,
          d: this.guild(),
        });
      }
    });
  }

  private gatewayUrl(): string {
    return `ws://127.0.0.1:${(this.wsServer!.address() as AddressInfo).port}`;
  }

  /** The test guild: #general plus every channel paios created. */
  private guild(): GatewayGuildCreateDispatchData {
    const channel = (id: string, name: string) => ({
      id,
      type: ChannelType.GuildText as const,
      name,
      position: 0,
      permission_overwrites: [],
    });
    return {
      id: DISCORD_GUILD,
      name: 'paios test',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: '999',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [],
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      stickers: [],
      hub_type: null,
      incidents_data: null,
      // GUILD_CREATE extras
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      members: [],
      voice_states: [],
      presences: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      channels: [
        channel(DISCORD_GENERAL, 'general'),
        ...this.extraChannels.map((c) => channel(c.id, c.name)),
        ...this.createdChannels.map((c) => channel(c.id, (c as { name: string }).name)),
      ],
    };
  }

  private route(req: RecordedRequest): FakeReply {
    const path = req.path.split('?')[0]!;
    if (path.startsWith('/attachments/')) {
      const data = this.files.get(path.slice('/attachments/'.length));
      return data
        ? { body: data, contentType: 'audio/ogg' }
        : { status: 404, json: { message: 'Unknown Attachment', code: 10000 } };
    }
    const failure = this.failures.findIndex((f) => f.route.test(path));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return {
        status: 429,
        headers: { 'retry-after': String(f!.retryAfter), 'x-ratelimit-scope': 'user' },
        json: { message: 'You are being rate limited.', retry_after: f!.retryAfter, global: false },
      };
    }
    // Webhook and interaction-callback routes are authorised by the token in the path, not the bot token.
    const isWebhook = path.startsWith('/api/v10/webhooks/') || path.startsWith('/api/v10/interactions/');
    if (!isWebhook && req.headers.authorization !== `Bot ${this.token}`)
      return { status: 401, json: { message: '401: Unauthorized', code: 0 } };
    const body = this.payload(req);
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && path === '/api/v10/gateway/bot') {
      const res: RESTGetAPIGatewayBotResult = {
        url: this.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      };
      return { json: res };
    }
    if (req.method === 'PUT' && /^\/api\/v10\/applications\/\d+\/commands$/.test(path)) return { json: body };
    if (req.method === 'POST' && /^\/api\/v10\/channels\/\d+\/typing$/.test(path)) return { status: 204, json: {} };
    if (req.method === 'POST' && (m = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(path)))
      return { json: this.record('channel', body, req, m[1]) };
    if (req.method === 'POST' && path === '/api/v10/users/@me/channels') {
      const recipient = (body as { recipient_id: string }).recipient_id;
      return { json: { id: `7${recipient.slice(1)}`, type: ChannelType.DM, recipients: [{ id: recipient }] } };
    }
    if (req.method === 'POST' && (m = /^\/api\/v10\/guilds\/(\d+)\/channels$/.exec(path))) {
      const channel = {
        id: this.newId(),
        type: ChannelType.GuildText,
        guild_id: m[1],
        ...(body as object),
      } as APIChannel;
      this.createdChannels.push(channel);
      // Discord tells connected bots about the new channel over the gateway.
      this.broadcast({
        op: GatewayOpcodes.Dispatch,
        t: GatewayDispatchEvents.ChannelCreate,
        s: this.seq++,
        d: channel,
      } as GatewayDispatchPayload);
      return { status: 201, json: channel };
    }
    if (req.method === 'POST' && (m = /^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      // The initial response to an interaction that came over the gateway: once only, like Discord.
      if (this.callbacks.some((c) => c.id === m![1]))
        return { status: 400, json: { message: 'Interaction has already been acknowledged.', code: 40060 } };
      this.callbacks.push({ id: m[1]!, token: decodeURIComponent(m[2]!), body: body as APIInteractionResponse });
      return { status: 204, json: {} };
    }
    if ((m = /^\/api\/v10\/webhooks\/(\d+)\/([^/]+)(\/messages\/(?:@|%40)original)?$/.exec(path))) {
      if (req.method === 'DELETE') return { status: 204, json: {} };
      return { json: this.record(m[3] ? 'original' : 'followup', body, req) };
    }
    return { status: 404, json: { message: `404: Not Found ${req.method} ${path}`, code: 0 } };
  }

  /** JSON body, or the payload_json field of a multipart upload. */
  private payload(req: RecordedRequest): unknown {
    const b = req.body as Record<string, unknown> | undefined;
    if (b && typeof b.payload_json === 'string') return JSON.parse(b.payload_json) as unknown;
    return b;
  }

  private record(route: DiscordSent['route'], body: unknown, req: RecordedRequest, channelId?: string): APIMessage {
    const b = (body ?? {}) as { content?: string; flags?: number; components?: DiscordSent['components'] };
    this.sent.push({
      route,
      channelId,
      content: b.content ?? '',
      flags: b.flags,
      components: b.components,
      files: Object.values(req.files),
    });
    return {
      id: this.newId(),
      channel_id: channelId ?? DISCORD_GENERAL,
      author: DISCORD_BOT,
      content: b.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
    };
  }
}
