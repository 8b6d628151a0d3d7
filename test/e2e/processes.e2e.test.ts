import { afterAll, describe, expect, it } from '@jest/globals';
import { createToken, runPaios, startPaios } from '../support/paios-process.js';
import { embeddedDataDir } from '../support/services.js';

const SECRET = 'e2e-secret-0123456789-0123456789-0123456789';

const get = (url: string, token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });

describe('paios command line', () => {
  const dir = embeddedDataDir('paios-cli-');
  afterAll(() => dir.remove());

  it('refuses a bad setting, naming the variable and what it expects', async () => {
    const result = await runPaios(['start'], { PAIOS_DATA_DIR: dir.path, PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('PORT: expected a port number');
    expect(result.stderr).toContain('DATABASE_URL: expected a postgres:// URL');
    expect(result.stderr).not.toContain('mysql://x');
  });

  it('mints a token only for a valid email, printing it as the last line', async () => {
    const bad = await runPaios(['token', 'create', '--user', 'not-an-email'], { PAIOS_DATA_DIR: dir.path });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected an email address');
    const token = await createToken('cli@example.test', { PAIOS_DATA_DIR: dir.path });
    expect(token.split('.')).toHaveLength(3);
  });

  it('migrates, and reports when there is nothing left to do', async () => {
    const env = { PAIOS_DATA_DIR: embeddedDataDir('paios-migrate-', { migrated: false }).path };
    expect((await runPaios(['migrate'], env)).stdout).toContain('applied: InitialSchema');
    expect((await runPaios(['migrate'], env)).stdout).toContain('database is up to date');
  });

  it('explains that a worker needs Redis', async () => {
    const result = await runPaios(['worker'], { PAIOS_DATA_DIR: dir.path });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('REDIS_URL');
  });

  it('rate limits per user in embedded mode, leaving other users alone', async () => {
    const env = { PAIOS_DATA_DIR: embeddedDataDir('paios-rl-').path, ACCESS_TOKEN_SECRET: SECRET, RATE_LIMIT_MAX: '3' };
    const paios = await startPaios(env);
    try {
      const a = await createToken('a@example.test', env);
      const b = await createToken('b@example.test', env);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(`${paios.url}/api/agents`, a)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await get(`${paios.url}/api/agents`, a);
      expect(await limited.json()).toMatchObject({
        statusCode: 429,
        message: expect.stringContaining('too many requests'),
      });
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await get(`${paios.url}/api/agents`, b)).status).toBe(200);
      expect((await fetch(`${paios.url}/api/system/health`)).status).toBe(200);
    } finally {
      expect(await paios.stop()).toBe(0);
    }
  });
});
