import { parseConfig, type PaiosConfig } from '../../src/config/config.schema.js';

/** A validated configuration for tests, from the given environment variables only. */
export function testConfig(env: Record<string, string | undefined> = {}): PaiosConfig {
  const config = parseConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'silent', DIAGRAM_TIMEOUT_MS: '60000', ...env },
    '0.0.0-test',
  );
  config.auth.secret ??= 'test-secret-that-is-long-enough-for-hs256-signing';
  return config;
}
