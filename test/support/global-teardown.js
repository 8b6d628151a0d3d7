import { rmSync } from 'node:fs';
import pg from 'pg';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function globalTeardown() {
  if (globalThis.__paiosTemplateRoot) rmSync(globalThis.__paiosTemplateRoot, { recursive: true, force: true });
  if (globalThis.__paiosPostgresTemplate) {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${globalThis.__paiosPostgresTemplate} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}
