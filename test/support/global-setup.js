// Jest global setup: runs once per `jest` run, before any worker starts.
// Creating a PGlite cluster (initdb in WASM) costs ~11 s of CPU; every suite that opens an embedded
// database, and every embedded-mode `paios` child, would pay it again. One pristine cluster is made
// here and copied (well under a second) wherever a fresh one is needed; see seedEmbeddedDatabase().
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function globalSetup() {
  const root = mkdtempSync(join(tmpdir(), 'paios-pglite-template-'));
  const dataDir = join(root, 'pglite');
  const db = await PGlite.create({ dataDir });
  await db.close();
  process.env.PAIOS_TEST_PGLITE_TEMPLATE = dataDir;
  globalThis.__paiosTemplateRoot = root;
}
