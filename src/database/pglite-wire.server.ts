import type { PGlite } from '@electric-sql/pglite';
import { createServer, type Server, type Socket } from 'node:net';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const SYNC = Uint8Array.of(0x53, 0, 0, 0, 4); // 'S', length 4
const ROLLBACK = queryMessage('ROLLBACK');

function queryMessage(sql: string): Uint8Array {
  const body = Buffer.from(`${sql}\0`, 'utf8');
  const msg = Buffer.alloc(5 + body.length);
  msg.write('Q', 0, 'ascii');
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  return msg;
}

/** Status byte of the last ReadyForQuery ('Z') in a backend response, if any: I idle, T in transaction, E failed. */
function lastReadyStatus(out: Uint8Array): string | undefined {
  let status: string | undefined;
  let i = 0;
  while (i + 5 <= out.length) {
    const type = out[i]!;
    const len = ((out[i + 1]! << 24) | (out[i + 2]! << 16) | (out[i + 3]! << 8) | out[i + 4]!) >>> 0;
    if (type === 0x5a && len === 5) status = String.fromCharCode(out[i + 5]!);
    i += 1 + len;
  }
  return status;
}

interface Connection {
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  pending: Uint8Array[];
  pumping: boolean;
  closed: boolean;
}

/**
 * Serves one PGlite database to many `pg` connections over a unix socket.
 *
 * PGlite is a single backend session, so connections must take turns. @electric-sql/pglite-socket
 * takes turns per message and keeps a connection's turn only inside a transaction; an extended-
 * protocol query (Parse, Bind, Execute, Sync) of one connection can then be split by another's,
 * which surfaced here as "unnamed prepared statement does not exist" under concurrent requests.
 * This server gives a connection the session until the backend reports ReadyForQuery with status
 * idle: a whole query, or a whole transaction, runs without interleaving.
 */
export class PgliteWireServer {
  private server?: Server;
  private owner: Connection | null = null;
  private readonly waiting: { conn: Connection; grant: () => void }[] = [];
  private readonly connections = new Set<Connection>();

  constructor(private readonly db: PGlite) {}

  async listen(path: string): Promise<void> {
    await this.db.waitReady;
    this.server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(path, () => resolve());
    });
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private accept(socket: Socket): void {
    const conn: Connection = {
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      pending: [],
      pumping: false,
      closed: false,
    };
    this.connections.add(conn);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      conn.buffer = Buffer.concat([conn.buffer, chunk]);
      this.split(conn);
      void this.pump(conn);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void this.abandon(conn));
  }

  /** Cuts complete protocol messages off the connection's buffer. */
  private split(conn: Connection): void {
    for (;;) {
      if (!conn.started) {
        if (conn.buffer.length < 8) return;
        const len = conn.buffer.readInt32BE(0);
        if (conn.buffer.length < len) return;
        const code = conn.buffer.readInt32BE(4);
        const msg = conn.buffer.subarray(0, len);
        conn.buffer = conn.buffer.subarray(len);
        if (code === SSL_REQUEST) {
          conn.socket.write('N'); // no TLS on a local socket
          continue;
        }
        if (code === CANCEL_REQUEST) {
          conn.socket.end(); // PGlite cannot cancel a running query
          return;
        }
        conn.started = true;
        conn.pending.push(new Uint8Array(msg));
        continue;
      }
      if (conn.buffer.length < 5) return;
      const len = 1 + conn.buffer.readInt32BE(1);
      if (conn.buffer.length < len) return;
      conn.pending.push(new Uint8Array(conn.buffer.subarray(0, len)));
      conn.buffer = conn.buffer.subarray(len);
    }
  }

  private async pump(conn: Connection): Promise<void> {
    if (conn.pumping) return;
    conn.pumping = true;
    try {
      while (conn.pending.length > 0 && !conn.closed) {
        const msg = conn.pending.shift()!;
        if (msg[0] === 0x58 /* Terminate */) {
          conn.socket.end();
          break;
        }
        await this.acquire(conn);
        const out = await this.db.runExclusive(() => this.db.execProtocolRaw(msg));
        if (out.length > 0 && !conn.closed) conn.socket.write(out);
        if (lastReadyStatus(out) === 'I') this.release(conn);
      }
    } catch {
      conn.socket.destroy();
    } finally {
      conn.pumping = false;
    }
  }

  private acquire(conn: Connection): Promise<void> {
    if (this.owner === conn) return Promise.resolve();
    if (this.owner === null) {
      this.owner = conn;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ conn, grant }));
  }

  private release(conn: Connection): void {
    if (this.owner !== conn) return;
    const next = this.waiting.shift();
    this.owner = next?.conn ?? null;
    next?.grant();
  }

  /** A connection went away: undo what it left open so the next one starts clean. */
  private async abandon(conn: Connection): Promise<void> {
    conn.closed = true;
    conn.pending = [];
    this.connections.delete(conn);
    const idx = this.waiting.findIndex((w) => w.conn === conn);
    if (idx >= 0) this.waiting.splice(idx, 1);
    if (this.owner !== conn) return;
    try {
      await this.db.runExclusive(async () => {
        await this.db.execProtocolRaw(SYNC);
        if (this.db.isInTransaction()) await this.db.execProtocolRaw(ROLLBACK);
      });
    } finally {
      this.release(conn);
    }
  }
}
