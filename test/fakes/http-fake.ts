import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeReply {
  status?: number;
  json: unknown;
}

/** A local HTTP server on 127.0.0.1:0 that answers with `respond` and records every request. */
export class HttpFake {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;

  constructor(private readonly respond: (req: RecordedRequest) => FakeReply | Promise<FakeReply>) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString();
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body: !raw
            ? undefined
            : String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')
              ? Object.fromEntries(new URLSearchParams(raw))
              : (JSON.parse(raw) as unknown),
        };
        this.requests.push(recorded);
        void Promise.resolve(this.respond(recorded)).then((reply) => {
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(reply.json));
        });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
