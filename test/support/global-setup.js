// Jest global setup: runs once per `jest` run, before any worker starts.
// Creating a PGlite cluster (initdb in WASM) costs seconds of CPU, and running every migration on it
// most of another second; every suite that opens a database, and every embedded-mode `paios` child,
// would pay both again. So this makes, once:
// - a pristine PGlite cluster (for the tests of `paios migrate` itself),
// - the same cluster migrated, as a directory (copied into a child's PAIOS_DATA_DIR) and as a tarball
//   (loaded into an in-memory PGlite by in-process suites: no files to copy or delete),
// - a migrated PostgreSQL database that scratch databases are created from (CREATE DATABASE ... TEMPLATE).
// Migrations come from the built dist/ (what the children run); when it is missing or older than the
// sources, the suites' own runMigrations applies whatever is left, so a stale build costs time, not
// correctness.
import { PGlite } from '@electric-sql/pglite';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dist = (path) => new URL(`../../dist/${path}`, import.meta.url);

export default async function globalSetup() {
  const root = mkdtempSync(join(tmpdir(), 'paios-pglite-template-'));
  globalThis.__paiosTemplateRoot = root;
  const pristine = join(root, 'pglite');
  const db = await PGlite.create({ dataDir: pristine });
  await db.close();
  process.env.PAIOS_TEST_PGLITE_TEMPLATE = pristine;

  if (!existsSync(dist('database/data-source.factory.js'))) return;
  const { EmbeddedPostgres } = await import(dist('database/embedded-postgres.js').href);
  const { dataSourceOptions, openDataSource, runMigrations } = await import(
    dist('database/data-source.factory.js').href
  );

  // The migrated cluster: a data dir of its own, migrated through the embedded server as paios does.
  const migratedDir = join(root, 'migrated');
  cpSync(pristine, join(migratedDir, 'pglite'), { recursive: true });
  const embedded = await EmbeddedPostgres.open(migratedDir);
  const source = await openDataSource(dataSourceOptions(embedded, 5));
  await runMigrations(source);
  await source.destroy();
  await embedded.close();
  const migrated = await PGlite.create({ dataDir: join(migratedDir, 'pglite') });
  const tarball = join(root, 'migrated.tar');
  writeFileSync(tarball, Buffer.from(await (await migrated.dumpDataDir('none')).arrayBuffer()));
  await migrated.close();
  process.env.PAIOS_TEST_PGLITE_MIGRATED = join(migratedDir, 'pglite');
  process.env.PAIOS_TEST_PGLITE_TARBALL = tarball;

  // The PostgreSQL template, when PostgreSQL runs (suites that need it check for themselves).
  const name = `paios_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return;
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const server = await openDataSource(dataSourceOptions({ url: url.toString() }, 5));
  await runMigrations(server);
  await server.destroy();
  process.env.PAIOS_TEST_POSTGRES_TEMPLATE = name;
  globalThis.__paiosPostgresTemplate = name;
  writeFileSync(join(root, 'postgres-template'), name);
}
