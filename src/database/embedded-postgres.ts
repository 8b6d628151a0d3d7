import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PgliteWireServer } from './pglite-wire.server.js';

/** The longest unix socket path Linux accepts (sun_path is 108 bytes including the NUL). */
const MAX_SOCKET_PATH = 107;
const PG_PORT = 5432;

export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

/**
 * Embedded mode's database: PGlite (PostgreSQL compiled to WASM) persisted in `<dataDir>/pglite`,
 * served on a unix socket in `<dataDir>/run` (PgliteWireServer) so that the ordinary `pg` driver, and so the
 * same TypeORM code as server mode, talks to it. PGlite is a single-process database: when another
 * paios process of the same data dir already serves it, this one connects to that socket instead of
 * opening the files a second time (so `paios token create` works while `paios start` runs).
 */
export class EmbeddedPostgres {
  private constructor(
    /** Directory holding the socket; pass as `host` to `pg`. */
    readonly socketDir: string,
    readonly port: number,
    private readonly owned?: { db: PGlite; server: PgliteWireServer; lockFile: string },
  ) {}

  /** True when this process opened the database files (and must close them). */
  get isOwner(): boolean {
    return this.owned !== undefined;
  }

  static async open(dataDir: string): Promise<EmbeddedPostgres> {
    const runDir = join(dataDir, 'run');
    const socketPath = join(runDir, `.s.PGSQL.${PG_PORT}`);
    if (socketPath.length > MAX_SOCKET_PATH) {
      throw new EmbeddedDatabaseError(
        `PAIOS_DATA_DIR is too deep for the embedded database socket (${socketPath.length} > ${MAX_SOCKET_PATH} characters); choose a shorter path`,
      );
    }
    mkdirSync(runDir, { recursive: true, mode: 0o700 });
    const lockFile = join(runDir, 'pglite.pid');

    if (await canConnect(socketPath)) return new EmbeddedPostgres(runDir, PG_PORT);
    if (!takeLock(lockFile)) {
      // Another process is opening the database right now: wait for its socket.
      for (let i = 0; i < 100; i++) {
        await sleep(100);
        if (await canConnect(socketPath)) return new EmbeddedPostgres(runDir, PG_PORT);
      }
      throw new EmbeddedDatabaseError(`the embedded database in ${dataDir} is locked by another process`);
    }

    try {
      rmSync(socketPath, { force: true }); // stale socket of a process that died
      const db = await PGlite.create({ dataDir: join(dataDir, 'pglite') });
      const server = new PgliteWireServer(db);
      await server.listen(socketPath);
      return new EmbeddedPostgres(runDir, PG_PORT, { db, server, lockFile });
    } catch (err) {
      rmSync(lockFile, { force: true });
      throw err;
    }
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    const { db, server, lockFile } = this.owned;
    await server.close();
    await db.close();
    rmSync(join(this.socketDir, `.s.PGSQL.${PG_PORT}`), { force: true });
    rmSync(lockFile, { force: true });
  }
}

function takeLock(lockFile: string): boolean {
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
    return true;
  } catch {
    const pid = Number(readFileSyncSafe(lockFile));
    if (pid && pid !== process.pid && isAlive(pid)) return false;
    // The holder died without cleaning up: take the lock over.
    writeFileSync(lockFile, String(process.pid), { mode: 0o600 });
    return true;
  }
}

function readFileSyncSafe(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canConnect(path: string): Promise<boolean> {
  if (!existsSync(path)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
