import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_KDF,
  checkVerifier,
  decryptSecret,
  deriveKek,
  encryptSecret,
  fromPhc,
  makeVerifier,
  meetsFloor,
  newSalt,
  rewrap,
  toPhc,
  type Envelope,
} from './vault.crypto.js';

/** The cheapest parameters OWASP accepts, so the suite stays fast; the defaults are checked apart. */
const FLOOR = { memoryKiB: 19_456, iterations: 2, parallelism: 1 };

const flip = (b64: string, index: number) => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[index]! ^= 0x01;
  return bytes.toString('base64');
};

describe('vault cryptography', () => {
  const kek = randomBytes(32);
  const secret = { apiKey: 'sk_live_canary_5a9d', note: 'Stripe' };

  it('defaults to at least m=64 MiB, t=3, p=4 and refuses anything below OWASP’s floor', () => {
    expect(DEFAULT_KDF.memoryKiB).toBeGreaterThanOrEqual(65_536);
    expect(DEFAULT_KDF.iterations).toBeGreaterThanOrEqual(3);
    expect(DEFAULT_KDF.parallelism).toBeGreaterThanOrEqual(4);
    expect(meetsFloor(FLOOR)).toBe(true);
    expect(meetsFloor({ memoryKiB: 19_455, iterations: 2, parallelism: 1 })).toBe(false);
    expect(meetsFloor({ memoryKiB: 65_536, iterations: 0, parallelism: 1 })).toBe(false);
    expect(() => fromPhc(toPhc({ memoryKiB: 4096, iterations: 1, parallelism: 1 }, newSalt()))).toThrow(/below OWASP/);
  });

  it('keeps the derivation parameters in PHC form and derives the same key from them', async () => {
    const salt = newSalt();
    const phc = toPhc(FLOOR, salt);
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}$/);
    const back = fromPhc(phc);
    expect(back.params).toEqual(FLOOR);
    const a = await deriveKek('correct horse battery staple', back.params, back.salt);
    const b = await deriveKek('correct horse battery staple', FLOOR, salt);
    const wrong = await deriveKek('correct horse battery stapler', FLOOR, salt);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(wrong)).toBe(false);
    expect(a).toHaveLength(32);
  });

  it('round-trips a secret, with a fresh data key and nonce every time', () => {
    const one = encryptSecret(kek, 'id-1', 'stripe', secret);
    const two = encryptSecret(kek, 'id-1', 'stripe', secret);
    expect(decryptSecret(kek, 'id-1', 'stripe', one)).toEqual(secret);
    expect(one.data.c).not.toBe(two.data.c);
    expect(one.dk.c).not.toBe(two.dk.c);
    expect(JSON.stringify(one)).not.toContain('canary');
  });

  it.each([
    ['ciphertext', (e: Envelope) => ({ ...e, data: { ...e.data, c: flip(e.data.c, 0) } })],
    [
      'tag',
      (e: Envelope) => ({ ...e, data: { ...e.data, c: flip(e.data.c, Buffer.from(e.data.c, 'base64').length - 1) } }),
    ],
    ['nonce', (e: Envelope) => ({ ...e, data: { ...e.data, n: flip(e.data.n, 3) } })],
    ['wrapped data key', (e: Envelope) => ({ ...e, dk: { ...e.dk, c: flip(e.dk.c, 5) } })],
    ['data key nonce', (e: Envelope) => ({ ...e, dk: { ...e.dk, n: flip(e.dk.n, 0) } })],
  ])('refuses a flipped bit in the %s', (_what, tamper) => {
    const sealed = encryptSecret(kek, 'id-2', 'smtp', secret);
    expect(() => decryptSecret(kek, 'id-2', 'smtp', tamper(sealed))).toThrow(/does not open/);
  });

  it('refuses a secret moved to another credential id or service (associated data)', () => {
    const sealed = encryptSecret(kek, 'id-3', 'stripe', secret);
    expect(() => decryptSecret(kek, 'id-4', 'stripe', sealed)).toThrow(/does not open/);
    expect(() => decryptSecret(kek, 'id-3', 'github', sealed)).toThrow(/does not open/);
    expect(() => decryptSecret(randomBytes(32), 'id-3', 'stripe', sealed)).toThrow(/does not open/);
  });

  it('re-wraps only the data key for a new master key, leaving the secret ciphertext as it was', () => {
    const sealed = encryptSecret(kek, 'id-5', 'stripe', secret);
    const newKek = randomBytes(32);
    const moved = rewrap(kek, newKek, 'id-5', sealed);
    expect(moved.data).toEqual(sealed.data);
    expect(decryptSecret(newKek, 'id-5', 'stripe', moved)).toEqual(secret);
    expect(() => decryptSecret(kek, 'id-5', 'stripe', moved)).toThrow(/does not open/);
  });

  it('tells the right master key from a wrong one without any secret', () => {
    const verifier = makeVerifier(kek, 'key-1');
    expect(checkVerifier(kek, 'key-1', verifier)).toBe(true);
    expect(checkVerifier(randomBytes(32), 'key-1', verifier)).toBe(false);
    expect(checkVerifier(kek, 'key-2', verifier)).toBe(false);
  });
});
