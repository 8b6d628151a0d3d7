// Vault benchmarks on the built code in dist/, against the embedded database (PGlite), as `npm start`
// runs it (set DATABASE_URL to measure on PostgreSQL):
//  1. unlock time with the default Argon2id parameters (m=64 MiB, t=3, p=4): what a person waits
//     for after typing the master password, and what each guess costs an attacker;
//  2. store and reveal per second (AES-256-GCM envelopes, the audit row, one SQL round trip each).
//   npm run bench            (BENCH_UNLOCKS=5 BENCH_SECRETS=500 by default)
import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../dist/config/config.schema.js';
import { DatabaseRuntime, openDataSource, runMigrations } from '../dist/database/data-source.factory.js';
import { VaultService } from '../dist/vault/vault.service.js';

Logger.overrideLogger(['error']);

const UNLOCKS = Number(process.env.BENCH_UNLOCKS ?? 5);
const SECRETS = Number(process.env.BENCH_SECRETS ?? 500);
const MASTER = 'bench master password, long enough';

const dir = mkdtempSync(join(tmpdir(), 'paios-vault-bench-'));
const config = parseConfig({ NODE_ENV: 'production', PAIOS_DATA_DIR: dir, ...process.env }, 'bench');
const runtime = await DatabaseRuntime.open(config);
const ds = await openDataSource(runtime.options);
await runMigrations(ds);
const [user] = await ds.query(`INSERT INTO users (email) VALUES ($1) RETURNING id`, [
  `bench-${Date.now()}@example.test`,
]);
const vault = new VaultService(ds, config);

const ms = (t0) => performance.now() - t0;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const fmt = (n) => n.toFixed(1);

try {
  const { memoryKiB, iterations, parallelism } = config.vault.kdf;
  let t0 = performance.now();
  await vault.unlock(user.id, MASTER); // sets the master password (one derivation + key row)
  const setup = ms(t0);
  const unlocks = [];
  for (let i = 0; i < UNLOCKS; i++) {
    vault.lock(user.id);
    t0 = performance.now();
    await vault.unlock(user.id, MASTER);
    unlocks.push(ms(t0));
  }
  unlocks.sort((a, b) => a - b);
  vault.lock(user.id);
  t0 = performance.now();
  await vault.unlock(user.id, 'a wrong master password').catch(() => undefined);
  const wrong = ms(t0);
  await vault.unlock(user.id, MASTER);
  console.log(
    `vault unlock (Argon2id m=${memoryKiB / 1024} MiB t=${iterations} p=${parallelism}, ${config.database.url ? 'PostgreSQL' : 'PGlite'}): ` +
      `setup ${fmt(setup)} ms, unlock p50 ${fmt(pct(unlocks, 50))} ms, max ${fmt(unlocks.at(-1))} ms (${UNLOCKS} runs), wrong password ${fmt(wrong)} ms`,
  );

  const ids = [];
  t0 = performance.now();
  for (let i = 0; i < SECRETS; i++) {
    const saved = await vault.store(user.id, `service-${i}`, {
      username: `user${i}`,
      password: `pw-${i}-${'x'.repeat(24)}`,
    });
    ids.push(saved.id);
  }
  const storeMs = ms(t0);
  t0 = performance.now();
  for (const id of ids) await vault.reveal(user.id, id);
  const revealMs = ms(t0);
  console.log(
    `vault store: ${Math.round((SECRETS / storeMs) * 1000)}/s (${fmt(storeMs / SECRETS)} ms each); ` +
      `reveal: ${Math.round((SECRETS / revealMs) * 1000)}/s (${fmt(revealMs / SECRETS)} ms each); ${SECRETS} credentials, each audited`,
  );
} finally {
  vault.onModuleDestroy();
  await ds.destroy();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
}
