import { createHash } from 'node:crypto';

const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';

/**
 * An AT Protocol record key of the TID kind (13 characters of sortable base32: microseconds since
 * the epoch and a 10-bit clock id), made from the first try's time and the idempotency key, so every
 * try of one post names the same record and a second try cannot make a second post.
 */
export function tidFor(at: Date, idempotencyKey: string): string {
  const clockId = createHash('sha256').update(idempotencyKey).digest().readUInt16BE(0) & 0x3ff;
  let n = (BigInt(at.getTime()) * 1000n) << 10n;
  n |= BigInt(clockId);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = ALPHABET[Number(n & 31n)]! + out;
    n >>= 5n;
  }
  return out;
}
