import { PGlite } from '@electric-sql/pglite';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { dataSourceOptions, openDataSource, runMigrations } from '../../src/database/data-source.factory.js';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { PgliteWireServer } from '../../src/database/pglite-wire.server.js';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_TEST_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/**
 * Whether an outside service is reachable. Off CI a missing service skips its suites with a printed
 * reason; with CI=true it is an error, because CI must run everything.
 */
async function available(name: string, probe: () => Promise<void>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (err) {
    const reason = `${name} is unreachable (${(err as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`, { cause: err });
    console.warn(`SKIPPED: ${reason}; its tests are skipped`);
    return false;
  }
}

export const postgresAvailable = () =>
  available('PostgreSQL at 127.0.0.1:5432', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.end();
  });

export const redisAvailable = () =>
  available('Redis at 127.0.0.1:6379', async () => {
    const redis = new Redis(REDIS_TEST_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  });

/** A scratch PostgreSQL database; drop() removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `paios_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  // From the migrated template of the global setup when there is one: a file copy inside PostgreSQL
  // instead of every migration again.
  const template = process.env.PAIOS_TEST_POSTGRES_TEMPLATE;
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Environment that puts a paios process in server mode: a scratch database and a Redis prefix of its own. */
export interface ServerModeEnv {
  env: { DATABASE_URL: string; REDIS_URL: string; REDIS_PREFIX: string };
  /** Drops the database and deletes every Redis key under the prefix (queues included). */
  cleanup(): Promise<void>;
}

export async function serverModeEnv(name: string): Promise<ServerModeEnv> {
  const db = await createPostgresDatabase();
  const prefix = `paios-${name}-${process.pid}-${Date.now()}`;
  return {
    env: { DATABASE_URL: db.url, REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: prefix },
    cleanup: async () => {
      await db.drop();
      const redis = new Redis(REDIS_TEST_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      try {
        for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>)
          if (keys.length) await redis.unlink(...keys);
      } finally {
        redis.disconnect();
      }
    },
  };
}

export function tempDir(prefix = 'paios-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Puts a PGlite cluster into `<dataDir>/pglite` unless one is there, by copying one that jest's global
 * setup made (test/support/global-setup.js) instead of running initdb and every migration again:
 * migrated by default, pristine (as EmbeddedPostgres would create it on first open) when asked. Without
 * the templates (a script outside jest) it does nothing and the first open creates the cluster itself.
 */
export function seedEmbeddedDatabase(dataDir: string, options: { migrated?: boolean } = {}): void {
  const template =
    options.migrated === false
      ? process.env.PAIOS_TEST_PGLITE_TEMPLATE
      : (process.env.PAIOS_TEST_PGLITE_MIGRATED ?? process.env.PAIOS_TEST_PGLITE_TEMPLATE);
  const target = join(dataDir, 'pglite');
  if (template && existsSync(template) && !existsSync(target)) cpSync(template, target, { recursive: true });
}

/**
 * A temporary PAIOS_DATA_DIR whose embedded database is already created and migrated (or only created,
 * with `migrated: false`, for the tests of migrating itself).
 */
export function embeddedDataDir(
  prefix = 'paios-',
  options: { migrated?: boolean } = {},
): { path: string; remove: () => void } {
  const dir = tempDir(prefix);
  seedEmbeddedDatabase(dir.path, options);
  return dir;
}

export interface TestDatabase {
  kind: 'pglite' | 'postgres';
  dataSource: DataSource;
  close(): Promise<void>;
}

/** A migrated database of either kind, fresh for the caller. */
export async function openTestDatabase(kind: TestDatabase['kind'], dataDir?: string): Promise<TestDatabase> {
  if (kind === 'postgres') {
    const db = await createPostgresDatabase();
    const dataSource = await openDataSource(dataSourceOptions({ url: db.url }, 5));
    await runMigrations(dataSource);
    return {
      kind,
      dataSource,
      close: async () => {
        await dataSource.destroy();
        await db.drop();
      },
    };
  }
  if (!dataDir && process.env.PAIOS_TEST_PGLITE_TARBALL)
    return openMemoryDatabase(process.env.PAIOS_TEST_PGLITE_TARBALL);
  const dir = dataDir ? { path: dataDir, remove: () => undefined } : tempDir('paios-pglite-');
  seedEmbeddedDatabase(dir.path);
  const embedded = await EmbeddedPostgres.open(dir.path);
  const dataSource = await openDataSource(dataSourceOptions({ socketDir: embedded.socketDir, port: embedded.port }, 5));
  await runMigrations(dataSource);
  return {
    kind,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await embedded.close();
      dir.remove();
    },
  };
}

/**
 * A PGlite database in memory, loaded from the migrated tarball of the global setup and served on a
 * socket of its own exactly as EmbeddedPostgres serves one: nothing to copy to disk or delete after.
 */
async function openMemoryDatabase(tarball: string): Promise<TestDatabase> {
  const socketDir = tempDir('paios-pgmem-');
  const db = await PGlite.create({ loadDataDir: new Blob([readFileSync(tarball)]) });
  const server = new PgliteWireServer(db);
  await server.listen(join(socketDir.path, '.s.PGSQL.5432'));
  const dataSource = await openDataSource(dataSourceOptions({ socketDir: socketDir.path, port: 5432 }, 5));
  await runMigrations(dataSource); // nothing left to do unless dist/ was older than the sources
  return {
    kind: 'pglite',
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await server.close();
      await db.close();
      socketDir.remove();
    },
  };
}
