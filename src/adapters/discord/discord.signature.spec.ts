import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign } from 'node:crypto';
import { verifyDiscordSignature } from './discord.signature.js';

const keys = generateKeyPairSync('ed25519');
const publicKey = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const now = Date.UTC(2026, 0, 15, 12, 0, 0);
const at = (ms: number) => String(Math.floor(ms / 1000));

function signed(body: string, timestamp: string, key = keys.privateKey) {
  return { signature: sign(null, Buffer.from(timestamp + body), key).toString('hex'), timestamp };
}

describe('Discord interaction signature', () => {
  const body = '{"type":1}';

  it('accepts Ed25519 over timestamp and body, made with the application key, stamped now', () => {
    expect(
      verifyDiscordSignature({ publicKey, body: Buffer.from(body), nowMs: now, ...signed(body, at(now)) }),
    ).toBeNull();
  });

  it('refuses another body, another key, or no signature', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const check = (s: { signature?: string; timestamp: string }, b = body) =>
      verifyDiscordSignature({
        publicKey,
        body: Buffer.from(b),
        nowMs: now,
        signature: s.signature,
        timestamp: s.timestamp,
      });
    expect(check(signed(body, at(now)), '{"type":2}')).toBe('bad_signature');
    expect(check(signed(body, at(now), other))).toBe('bad_signature');
    expect(check({ timestamp: at(now) })).toBe('bad_signature');
  });

  it('refuses a replay stamped more than five minutes away from the clock, either way', () => {
    const check = (ms: number) =>
      verifyDiscordSignature({ publicKey, body: Buffer.from(body), nowMs: now, ...signed(body, at(ms)) });
    expect(check(now - 4 * 60_000)).toBeNull();
    expect(check(now - 6 * 60_000)).toBe('stale');
    expect(check(now + 6 * 60_000)).toBe('from_the_future');
    expect(
      verifyDiscordSignature({ publicKey, body: Buffer.from(body), nowMs: now, signature: 'ab', timestamp: 'x' }),
    ).toBe('bad_timestamp');
  });
});
