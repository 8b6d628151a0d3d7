import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PaiosConfig } from '../config/config.schema.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

// The seed's columns are TIMESTAMP (without time zone) holding UTC; read them as UTC whatever the
// process time zone is.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (value: string) => new Date(`${value.replace(' ', 'T')}Z`));
// A DATE is a calendar day, not an instant: keep "2026-03-02" as it is, whatever the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/** Where the database is: a URL (server mode) or the embedded database's socket. */
export type DatabaseTarget = { url: string } | { socketDir: string; port: number };

export function dataSourceOptions(target: DatabaseTarget, poolSize: number): DataSourceOptions {
  const where =
    'url' in target
      ? { url: target.url }
      : { host: target.socketDir, port: target.port, username: 'postgres', database: 'postgres' };
  return {
    type: 'postgres',
    ...where,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is built in; PGlite has no uuid-ossp and must not be asked to install it.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    poolSize,
    extra: { max: poolSize, options: '-c TimeZone=UTC', application_name: 'paios' },
    logging: false,
  };
}

/**
 * The database of a paios process: opens PGlite in embedded mode, builds the TypeORM options, and
 * closes what it opened. Created by the CLI before Nest so that shutdown order is explicit.
 */
export class DatabaseRuntime {
  private constructor(
    readonly options: DataSourceOptions,
    readonly mode: PaiosConfig['database']['mode'],
    private readonly embedded?: EmbeddedPostgres,
  ) {}

  static async open(config: PaiosConfig): Promise<DatabaseRuntime> {
    const poolSize = config.database.poolSize;
    if (config.database.url) {
      return new DatabaseRuntime(dataSourceOptions({ url: config.database.url }, poolSize), 'server');
    }
    const embedded = await EmbeddedPostgres.open(config.dataDir);
    return new DatabaseRuntime(
      dataSourceOptions({ socketDir: embedded.socketDir, port: embedded.port }, poolSize),
      'embedded',
      embedded,
    );
  }

  /** False when another process serves the embedded database and this one attached to it. */
  get ownsDatabase(): boolean {
    return this.embedded?.isOwner ?? true;
  }

  async close(): Promise<void> {
    await this.embedded?.close();
  }
}

/** Arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_243_110_521;

/** Runs pending migrations, one process at a time. Returns the names of those that ran. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/** Opens a DataSource outside Nest (CLI commands, tests). */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const ds = new DataSource(options);
  await ds.initialize();
  return ds;
}
