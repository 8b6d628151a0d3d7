import { describe, expect, it } from '@jest/globals';
import { isSecretName, redactConfig, redactTransport, REDACTED } from './slot-redaction.js';

describe('slot redaction', () => {
  it('names secret keys and flags, and leaves ordinary ones alone', () => {
    for (const name of ['apiKey', 'api_key', 'clientSecret', 'AUTH_TOKEN', 'password', '--token', 'privateKey', 'key'])
      expect({ name, secret: isSecretName(name) }).toEqual({ name, secret: true });
    for (const name of ['region', 'monkey', 'retries', 'defaultCurrency', '--verbose', 'keyboard'])
      expect({ name, secret: isSecretName(name) }).toEqual({ name, secret: false });
  });

  it('keeps the keys of the configuration: secret values for the owner, every value for others', () => {
    const config = { apiKey: 'sk-1', region: 'eu', nested: { password: 'p', port: 5 }, list: [{ token: 't' }] };
    expect(redactConfig(config, 'owner')).toEqual({
      apiKey: REDACTED,
      region: 'eu',
      nested: { password: REDACTED, port: 5 },
      list: [{ token: REDACTED }],
    });
    expect(redactConfig(config, 'other')).toEqual({
      apiKey: REDACTED,
      region: REDACTED,
      nested: { password: REDACTED, port: REDACTED },
      list: [{ token: REDACTED }],
    });
    expect(config.apiKey).toBe('sk-1');
  });

  it('hides the environment, headers, URL credentials and secret flags of outside servers', () => {
    expect(
      redactTransport(
        {
          type: 'http',
          url: 'https://bob:s3cret@mcp.example.com/v1?key=abc&team=x',
          headers: { Authorization: 'Bearer z' },
        },
        'owner',
      ),
    ).toEqual({
      type: 'http',
      url: `https://${REDACTED}:${REDACTED}@mcp.example.com/v1?key=${REDACTED}&team=${REDACTED}`,
      headers: { Authorization: REDACTED },
    });
    const stdio = {
      type: 'stdio' as const,
      command: 'npx',
      args: ['-y', 'server', '--api-key=abc', '--token', 'def', '--port', '8080'],
      env: { GITHUB_TOKEN: 'ghp', LOG: 'debug' },
    };
    expect(redactTransport(stdio, 'owner')).toEqual({
      type: 'stdio',
      command: 'npx',
      args: ['-y', 'server', `--api-key=${REDACTED}`, '--token', REDACTED, '--port', '8080'],
      env: { GITHUB_TOKEN: REDACTED, LOG: REDACTED },
    });
    expect(redactTransport(stdio, 'other')).toMatchObject({ args: stdio.args.map(() => REDACTED) });
    expect(redactTransport({ type: 'http', url: 'not a url' }, 'owner')).toEqual({ type: 'http', url: REDACTED });
  });
});
