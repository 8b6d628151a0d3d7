import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from './config.schema.js';

const parse = (env: Record<string, string>) => parseConfig(env, '1.2.3');

function problems(env: Record<string, string>): string[] {
  try {
    parse(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('reads PAIOS_ALLOW_HOSTS as names, *.domains, IPs and CIDRs, and names a bad entry by position only', () => {
    expect(parse({}).outbound.allowHosts).toEqual([]);
    expect(
      parse({ PAIOS_ALLOW_HOSTS: ' mail.internal, *.corp.example ,10.0.0.0/8,127.0.0.1,[::1]' }).outbound.allowHosts,
    ).toEqual(['mail.internal', '*.corp.example', '10.0.0.0/8', '127.0.0.1', '[::1]']);
    const bad = problems({ PAIOS_ALLOW_HOSTS: 'mail.internal,http://10.0.0.1/' });
    expect(bad).toEqual([
      expect.stringMatching(/^PAIOS_ALLOW_HOSTS: entry 2 is neither a host name nor an IP address or CIDR/),
    ]);
    expect(bad.join()).not.toContain('10.0.0.1');
  });

  it('runs embedded on 127.0.0.1:3000 with ./data when nothing is set', () => {
    const c = parse({});
    expect(c.http).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(c.database.mode).toBe('embedded');
    expect(c.dataDir).toBe(`${process.cwd()}/data`);
    expect(c.redis.url).toBeUndefined();
    expect(c.jobs.processJobs).toBe(true);
    expect(c.version).toBe('1.2.3');
  });

  it('switches to server mode with DATABASE_URL and REDIS_URL', () => {
    const c = parse({
      DATABASE_URL: 'postgres://paios:pw@db:5432/paios',
      REDIS_URL: 'redis://cache:6379/2',
      PORT: '8080',
    });
    expect(c.database).toMatchObject({ mode: 'server', url: 'postgres://paios:pw@db:5432/paios' });
    expect(c.redis.url).toBe('redis://cache:6379/2');
    expect(c.http.port).toBe(8080);
  });

  it('treats empty values as unset, as a blank line in .env means', () => {
    expect(parse({ DATABASE_URL: '', PORT: '' }).database.mode).toBe('embedded');
  });

  it('names every bad variable and what it expects, without echoing values', () => {
    const list = problems({
      PORT: '99999',
      DATABASE_URL: 'mysql://root:hunter2@db/paios',
      REDIS_URL: 'localhost',
      ACCESS_TOKEN_SECRET: 'short-hunter2',
      PAIOS_PROCESS_JOBS: 'maybe',
      ACCESS_TOKEN_TTL: 'forever',
    });
    expect(list).toEqual(
      expect.arrayContaining([
        'PORT: expected a port between 0 and 65535',
        'DATABASE_URL: expected a postgres:// URL such as postgres://user:pass@host:5432/paios',
        'REDIS_URL: expected a redis:// URL such as redis://127.0.0.1:6379',
        'ACCESS_TOKEN_SECRET: expected at least 32 characters',
        'PAIOS_PROCESS_JOBS: expected true or false',
        'ACCESS_TOKEN_TTL: expected a duration such as 30m, 12h or 30d',
      ]),
    );
    expect(list.join('\n')).not.toContain('hunter2');
  });
});
