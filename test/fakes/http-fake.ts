import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedFile {
  filename: string;
  type: string;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** JSON, or the fields of a form (urlencoded or multipart); undefined without a body. */
  body: unknown;
  /** Files of a multipart/form-data body, by field name. */
  files: Record<string, RecordedFile>;
  /** The bytes as received. */
  raw: Buffer;
}

/** JSON (the default), or raw bytes with a content type; `headers` for Retry-After and the like. */
export interface FakeReply {
  status?: number;
  json?: unknown;
  body?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
}

async function parseBody(
  raw: Buffer,
  contentType: string,
): Promise<{ body: unknown; files: Record<string, RecordedFile> }> {
  const files: Record<string, RecordedFile> = {};
  if (raw.length === 0) return { body: undefined, files };
  if (contentType.startsWith('application/x-www-form-urlencoded'))
    return { body: Object.fromEntries(new URLSearchParams(raw.toString())), files };
  if (contentType.startsWith('multipart/form-data')) {
    // The WHATWG Response parses multipart bodies; it refuses some valid ones (grammY writes
    // `filename=chart.png` as a token, unquoted), which the lenient parser below takes.
    const form = await new Response(raw, { headers: { 'content-type': contentType } })
      .formData()
      .catch(() => lenientMultipart(raw, contentType));
    const fields: Record<string, string> = {};
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') fields[name] = value;
      else files[name] = { filename: value.name, type: value.type, data: Buffer.from(await value.arrayBuffer()) };
    }
    return { body: fields, files };
  }
  if (contentType.includes('json')) return { body: JSON.parse(raw.toString()) as unknown, files };
  try {
    return { body: JSON.parse(raw.toString()) as unknown, files };
  } catch {
    return { body: raw.toString(), files };
  }
}

/** multipart/form-data as RFC 7578 allows it: parameters quoted or bare, any header spacing. */
function lenientMultipart(raw: Buffer, contentType: string): FormData {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const form = new FormData();
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    const part = raw.subarray(start + 2, next - 2); // without the CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString();
    const data = part.subarray(split + 4);
    const param = (key: string) => new RegExp(`;\\s*${key}=(?:"([^"]*)"|([^;\\r\\n]+))`, 'i').exec(head);
    const name = param('name');
    const filename = param('filename');
    const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
    if (name) {
      const key = name[1] ?? name[2]!;
      if (filename) form.append(key, new Blob([data], { type }), filename[1] ?? filename[2]!);
      else form.append(key, data.toString());
    }
    at = next;
  }
  return form;
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
        const raw = Buffer.concat(chunks);
        void (async () => {
          let reply: FakeReply;
          try {
            const { body, files } = await parseBody(raw, String(req.headers['content-type'] ?? ''));
            const recorded: RecordedRequest = {
              method: req.method ?? 'GET',
              path: req.url ?? '/',
              headers: req.headers,
              body,
              files,
              raw,
            };
            this.requests.push(recorded);
            reply = await this.respond(recorded);
          } catch (err) {
            reply = { status: 500, json: { error: err instanceof Error ? err.message : String(err) } };
          }
          const headers: Record<string, string> = { ...reply.headers };
          if (reply.body !== undefined) {
            headers['content-type'] ??= reply.contentType ?? 'application/octet-stream';
            res.writeHead(reply.status ?? 200, headers);
            res.end(reply.body);
          } else {
            headers['content-type'] ??= 'application/json';
            res.writeHead(reply.status ?? 200, headers);
            res.end(JSON.stringify(reply.json ?? {}));
          }
        })();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => {
      if (!this.server) return r();
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }
}
