import { createHmac } from 'node:crypto';
import type { SlashCommand } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { View } from '@slack/types';
import type {
  AuthTestResponse,
  ChatPostEphemeralResponse,
  ChatPostMessageResponse,
  FilesCompleteUploadExternalResponse,
  FilesGetUploadURLExternalResponse,
  ViewsOpenResponse,
} from '@slack/web-api';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { HttpFake, type FakeReply, type RecordedRequest } from './http-fake.js';

export const SLACK_TEAM = 'T0PAIOS';
export const SLACK_BOT_USER = 'U0BOT';

/** A message paios posted (chat.postMessage / postEphemeral, or a response_url answer). */
export interface SlackPost {
  via: 'chat.postMessage' | 'chat.postEphemeral' | 'response_url';
  channel?: string;
  user?: string;
  thread_ts?: string;
  text: string;
  blocks: KnownBlock[];
  response_type?: string;
}

export interface SlackUpload {
  fileId: string;
  filename: string;
  length: number;
  bytes: Buffer;
  channel?: string;
  thread_ts?: string;
  completed: boolean;
}

/**
 * A local stand-in for the Slack Web API (https://api.slack.com/methods) and the URLs Slack hands
 * out (response_url, upload URLs, private file URLs), shaped after the docs and typed with
 * @slack/web-api's response types. Records what paios posted and uploaded.
 */
export class SlackFake {
  readonly posts: SlackPost[] = [];
  readonly uploads = new Map<string, SlackUpload>();
  readonly calls: string[] = [];
  /** Modals opened with views.open. */
  readonly views: { trigger_id: string; view: View }[] = [];
  readonly http: HttpFake;
  /** Files served at /files/<name> (audio clips paios downloads with the bot token). */
  readonly files = new Map<string, { type: string; data: Buffer }>();
  private failures: { method: string; retryAfter: number }[] = [];
  /** Socket Mode: the WebSocket server apps.connections.open points at, and the acks it received. */
  readonly socketAcks: { envelope_id: string; payload?: unknown }[] = [];
  private socketServer?: Server;
  private sockets = new Set<WebSocket>();
  private envelopes = 0;
  private ts = 1_700_000_000;
  private nextFile = 1;

  constructor(
    private readonly botToken: string,
    private readonly appToken?: string,
  ) {
    this.http = new HttpFake((req) => this.route(req));
  }

  get apiUrl(): string {
    return `${this.http.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.http.url}/respond/${id}`;
  }

  /** A slash command as Slack sends it from #general of the test team; `id` names its response_url. */
  slashCommand(text: string, id: string, user = 'U0ALICE', command = '/paios'): SlashCommand {
    return {
      token: 'legacy-verification-token',
      command,
      text,
      response_url: this.responseUrl(id),
      trigger_id: `trigger-${id}`,
      user_id: user,
      user_name: user.toLowerCase(),
      team_id: SLACK_TEAM,
      team_domain: 'paios-test',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      api_app_id: 'A0PAIOS',
    };
  }

  fileUrl(name: string): string {
    return `${this.http.url}/files/${name}`;
  }

  async start(): Promise<this> {
    await this.http.start();
    if (this.appToken) {
      this.socketServer = createServer();
      const wss = new WebSocketServer({ server: this.socketServer });
      wss.on('connection', (socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('message', (raw: Buffer) =>
          this.socketAcks.push(JSON.parse(raw.toString()) as { envelope_id: string }),
        );
        // Slack's greeting once the connection is established (Socket Mode docs).
        socket.send(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            debug_info: { host: 'fake-slack', build_number: 1, approximate_connection_time: 18_060 },
            connection_info: { app_id: 'A0PAIOS' },
          }),
        );
      });
      await new Promise<void>((r) => this.socketServer!.listen(0, '127.0.0.1', () => r()));
    }
    return this;
  }

  get socketConnections(): number {
    return this.sockets.size;
  }

  /** Delivers an envelope over every Socket Mode connection, as Slack does; returns its id. */
  pushEnvelope(type: 'slash_commands' | 'events_api' | 'interactive', payload: unknown): string {
    const envelope_id = `env-${++this.envelopes}`;
    for (const s of this.sockets)
      s.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== 'events_api' }));
    return envelope_id;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((r) => (this.socketServer ? this.socketServer.close(() => r()) : r()));
    await this.http.stop();
  }

  /** The next call of `method` answers 429 with this Retry-After (seconds). */
  rateLimitNext(method: string, retryAfter = 1): void {
    this.failures.push({ method, retryAfter });
  }

  private route(req: RecordedRequest): FakeReply {
    const path = req.path.split('?')[0]!;
    if (path.startsWith('/respond/')) {
      const body = req.body as { text?: string; blocks?: KnownBlock[]; response_type?: string };
      this.posts.push({
        via: 'response_url',
        text: body.text ?? '',
        blocks: body.blocks ?? [],
        response_type: body.response_type,
      });
      return { body: 'ok', contentType: 'text/plain' };
    }
    if (path.startsWith('/upload/')) {
      const upload = this.uploads.get(path.slice('/upload/'.length));
      if (!upload) return { status: 404, body: 'unknown upload', contentType: 'text/plain' };
      const file = Object.values(req.files)[0];
      upload.bytes = file ? file.data : req.raw;
      return { body: `OK - ${upload.bytes.length}`, contentType: 'text/plain' };
    }
    if (path.startsWith('/files/')) {
      if (req.headers.authorization !== `Bearer ${this.botToken}`)
        return { status: 403, body: 'no', contentType: 'text/plain' };
      const file = this.files.get(path.slice('/files/'.length));
      return file
        ? { body: file.data, contentType: file.type }
        : { status: 404, body: 'no such file', contentType: 'text/plain' };
    }
    if (!path.startsWith('/api/')) return { status: 404, json: { ok: false, error: 'unknown_method' } };
    const method = path.slice('/api/'.length);
    this.calls.push(method);
    if (method === 'apps.connections.open') {
      if (!this.appToken || req.headers.authorization !== `Bearer ${this.appToken}`)
        return { json: { ok: false, error: 'invalid_auth' } };
      const port = (this.socketServer!.address() as AddressInfo).port;
      return { json: { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=fake` } };
    }
    if (req.headers.authorization !== `Bearer ${this.botToken}`) return { json: { ok: false, error: 'invalid_auth' } };
    const failure = this.failures.findIndex((f) => f.method === method);
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return {
        status: 429,
        headers: { 'retry-after': String(f!.retryAfter) },
        json: { ok: false, error: 'ratelimited' },
      };
    }
    const args = (req.body ?? {}) as Record<string, string>;
    const blocks = (v?: string): KnownBlock[] => (v ? (JSON.parse(v) as KnownBlock[]) : []);
    switch (method) {
      case 'auth.test': {
        const res: AuthTestResponse = {
          ok: true,
          url: 'https://paios-test.slack.com/',
          team: 'paios test',
          user: 'paios',
          team_id: SLACK_TEAM,
          user_id: SLACK_BOT_USER,
          bot_id: 'B0BOT',
        };
        return { json: res };
      }
      case 'chat.postMessage': {
        const ts = `${this.ts++}.000100`;
        this.posts.push({
          via: method,
          channel: args.channel,
          thread_ts: args.thread_ts,
          text: args.text ?? '',
          blocks: blocks(args.blocks),
        });
        const res: ChatPostMessageResponse = { ok: true, channel: args.channel, ts, message: { text: args.text, ts } };
        return { json: res };
      }
      case 'chat.postEphemeral': {
        this.posts.push({
          via: method,
          channel: args.channel,
          user: args.user,
          thread_ts: args.thread_ts,
          text: args.text ?? '',
          blocks: blocks(args.blocks),
        });
        const res: ChatPostEphemeralResponse = { ok: true, message_ts: `${this.ts++}.000200` };
        return { json: res };
      }
      case 'views.open': {
        if (!args.trigger_id) return { json: { ok: false, error: 'invalid_arguments' } };
        const view = JSON.parse(args.view ?? '{}') as View;
        this.views.push({ trigger_id: args.trigger_id, view });
        const res: ViewsOpenResponse = { ok: true, view: { id: `V${this.views.length}`, type: view.type } };
        return { json: res };
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F${String(this.nextFile++).padStart(6, '0')}`;
        this.uploads.set(fileId, {
          fileId,
          filename: args.filename ?? '',
          length: Number(args.length),
          bytes: Buffer.alloc(0),
          completed: false,
        });
        const res: FilesGetUploadURLExternalResponse = {
          ok: true,
          upload_url: `${this.http.url}/upload/${fileId}`,
          file_id: fileId,
        };
        return { json: res };
      }
      case 'files.completeUploadExternal': {
        const files = JSON.parse(args.files ?? '[]') as { id: string; title?: string }[];
        for (const f of files) {
          const upload = this.uploads.get(f.id);
          if (!upload) return { json: { ok: false, error: 'file_not_found' } };
          Object.assign(upload, { completed: true, channel: args.channel_id, thread_ts: args.thread_ts });
        }
        const res: FilesCompleteUploadExternalResponse = {
          ok: true,
          files: files.map((f) => ({ id: f.id, title: f.title })),
        };
        return { json: res };
      }
      default:
        return { json: { ok: false, error: 'unknown_method' } };
    }
  }
}

/** Signs a request body the way Slack does (v0 HMAC-SHA256 of `v0:timestamp:body`). */
export function slackSignature(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
}
