import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../config/config.schema.js';
import { McpRequestGuard } from './mcp-request-guard.js';

const guard = (env: Record<string, string> = {}) => new McpRequestGuard(parseConfig({ NODE_ENV: 'test', ...env }, '0'));

describe('McpRequestGuard (DNS rebinding, remote clients)', () => {
  it('refuses a rebound page: Host of another site, with or without its matching Origin', () => {
    const g = guard();
    expect(g.refusal('127.0.0.1', 'evil.example:3000', 'http://evil.example:3000')).toBe(
      'Host evil.example is not a name of this server (set PAIOS_PUBLIC_URL to the address clients use)',
    );
    expect(g.refusal('127.0.0.1', 'evil.example', undefined)).toMatch(/^Host evil\.example is not/);
    expect(g.refusal('127.0.0.1', undefined, undefined)).toBe('a Host header naming this server is required');
    expect(g.refusal('127.0.0.1', 'a@b', undefined)).toBe('a Host header naming this server is required');
  });

  it('refuses a foreign Origin even on a loopback Host', () => {
    expect(guard().refusal('127.0.0.1', 'localhost:3000', 'https://evil.example')).toBe(
      'Origin https://evil.example is not allowed (MCP_ALLOWED_ORIGINS)',
    );
    expect(guard().refusal('::1', '[::1]:3000', 'null')).toBe('bad Origin header');
  });

  it('serves loopback names, addresses, configured names and origins', () => {
    const g = guard({
      PAIOS_PUBLIC_URL: 'https://paios.example.com',
      MCP_ALLOWED_ORIGINS: 'https://app.example.org',
      MCP_ALLOW_REMOTE: 'true',
    });
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST', '192.168.1.5:3000'])
      expect(g.refusal('127.0.0.1', host, undefined)).toBeUndefined();
    expect(g.refusal('10.0.0.2', 'paios.example.com', 'https://paios.example.com')).toBeUndefined();
    expect(g.refusal('10.0.0.2', 'paios.example.com', 'https://app.example.org')).toBeUndefined();
    expect(g.refusal('127.0.0.1', 'localhost:3000', 'http://localhost:5173')).toBeUndefined();
    expect(g.refusal('10.0.0.2', 'paios.example.com.evil.example', undefined)).toMatch(/is not a name/);
  });

  it('keeps remote clients out unless MCP_ALLOW_REMOTE=true', () => {
    expect(guard().refusal('10.0.0.2', 'localhost', undefined)).toMatch(/served to this machine only/);
    expect(guard({ HOST: 'box.lan' }).refusal('::ffff:127.0.0.1', 'box.lan:3000', undefined)).toBeUndefined();
  });
});
