import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type PaiosConfig } from './config.schema.js';
import { packageVersion } from './package-info.js';

/**
 * Reads `.env` from the working directory when present (real environment variables win), validates,
 * and fills in the one generated setting: the token signing secret, created once per data dir so
 * that a bare `npm start` needs no set-up and tokens survive restarts.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PaiosConfig {
  if (env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  const config = parseConfig(env, packageVersion());
  if (!config.auth.secret) config.auth.secret = ensureGeneratedSecret(config.dataDir);
  return config;
}

function ensureGeneratedSecret(dataDir: string): string {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, 'access-token.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  // 'wx' fails if another process created it first; then read theirs.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
}
