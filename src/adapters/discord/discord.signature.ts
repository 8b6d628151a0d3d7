import { createPublicKey, verify } from 'node:crypto';

/** A request stamped further from now than this, either way, is refused (a replay, or a forged clock). */
export const DISCORD_MAX_SKEW_SECONDS = 5 * 60;

export type DiscordSignatureFailure = 'no_key' | 'bad_timestamp' | 'stale' | 'from_the_future' | 'bad_signature';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; Discord gives the raw 32-byte key in hex. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Checks a Discord interaction's `x-signature-ed25519` (Ed25519 over timestamp + body, with the
 * application's public key) on the exact bytes received, and that `x-signature-timestamp` lies within
 * five minutes of `nowMs`. Pure: the clock is the caller's. Returns null when valid, else why not.
 */
export function verifyDiscordSignature(input: {
  publicKey: string;
  body: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
}): DiscordSignatureFailure | null {
  if (!/^[0-9a-f]{64}$/i.test(input.publicKey)) return 'no_key';
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) return 'bad_timestamp';
  const now = Math.floor(input.nowMs / 1000);
  const stamped = Number(input.timestamp);
  if (stamped < now - DISCORD_MAX_SKEW_SECONDS) return 'stale';
  if (stamped > now + DISCORD_MAX_SKEW_SECONDS) return 'from_the_future';
  if (!/^[0-9a-f]{128}$/i.test(input.signature ?? '')) return 'bad_signature';
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(input.publicKey, 'hex')]),
    format: 'der',
    type: 'spki',
  });
  const signed = Buffer.concat([Buffer.from(input.timestamp, 'utf8'), input.body]);
  return verify(null, signed, key, Buffer.from(input.signature!, 'hex')) ? null : 'bad_signature';
}
