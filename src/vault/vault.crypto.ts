import argon2 from 'argon2';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The vault's cryptography, and nothing else: Argon2id turns the master password into a
 * key-encryption key (KEK); every credential gets its own random 256-bit data key, used once with
 * AES-256-GCM and a random 96-bit nonce, with the credential's id and service bound as associated
 * data; the data key is stored wrapped (AES-256-GCM again) by the KEK. Changing the master password
 * re-wraps data keys and never touches the credentials' ciphertext.
 */

export interface KdfParams {
  /** Memory in KiB (argon2's memoryCost). */
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** At least m=64 MiB, t=3, p=4. */
export const DEFAULT_KDF: KdfParams = { memoryKiB: 64 * 1024, iterations: 3, parallelism: 4 };

/**
 * OWASP's Argon2id floor (Password Storage Cheat Sheet): any one of these memory/iteration pairs,
 * with parallelism 1 or more. Weaker settings are refused when configured and when found in data.
 */
const OWASP_FLOOR: { memoryKiB: number; iterations: number }[] = [
  { memoryKiB: 47_104, iterations: 1 },
  { memoryKiB: 19_456, iterations: 2 },
  { memoryKiB: 12_288, iterations: 3 },
  { memoryKiB: 9_216, iterations: 4 },
  { memoryKiB: 7_168, iterations: 5 },
];

export class VaultCryptoError extends Error {
  override name = 'VaultCryptoError';
}

export function meetsFloor(p: KdfParams): boolean {
  return p.parallelism >= 1 && OWASP_FLOOR.some((f) => p.memoryKiB >= f.memoryKiB && p.iterations >= f.iterations);
}

export function assertFloor(p: KdfParams): void {
  if (!meetsFloor(p))
    throw new VaultCryptoError(
      `Argon2id m=${p.memoryKiB} KiB, t=${p.iterations}, p=${p.parallelism} is below OWASP's floor (e.g. m=19456 KiB with t=2)`,
    );
}

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

/** The KEK's derivation in PHC form (no hash): `$argon2id$v=19$m=65536,t=3,p=4$<salt>`. */
export function toPhc(p: KdfParams, salt: Buffer): string {
  return `$argon2id$v=19$m=${p.memoryKiB},t=${p.iterations},p=${p.parallelism}$${b64(salt)}`;
}

export function fromPhc(phc: string): { params: KdfParams; salt: Buffer } {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!m) throw new VaultCryptoError('unreadable key-derivation parameters');
  const params = { memoryKiB: Number(m[1]), iterations: Number(m[2]), parallelism: Number(m[3]) };
  assertFloor(params);
  return { params, salt: Buffer.from(m[4]!, 'base64') };
}

/** Argon2id(password, salt) -> 32 raw bytes. The caller zeroes the key when done with it. */
export async function deriveKek(password: string, p: KdfParams, salt: Buffer): Promise<Buffer> {
  assertFloor(p);
  if (salt.length < 16) throw new VaultCryptoError('salt must be at least 16 bytes');
  return argon2.hash(password, {
    type: argon2.argon2id,
    raw: true,
    salt,
    hashLength: 32,
    memoryCost: p.memoryKiB,
    timeCost: p.iterations,
    parallelism: p.parallelism,
  });
}

export const newSalt = () => randomBytes(16);

export interface Sealed {
  /** 12-byte nonce, base64. */
  n: string;
  /** Ciphertext followed by the 16-byte GCM tag, base64. */
  c: string;
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { n: nonce.toString('base64'), c: body.toString('base64') };
}

/** Opens a sealed box; any change to key, nonce, ciphertext, tag or associated data is refused. */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  const nonce = Buffer.from(sealed.n, 'base64');
  const body = Buffer.from(sealed.c, 'base64');
  if (nonce.length !== 12 || body.length < 16) throw new VaultCryptoError('damaged ciphertext');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    throw new VaultCryptoError('the ciphertext does not open with this key (wrong key, or it was changed)');
  }
}

/** What `credentials.encrypted_data` holds (JSON): the wrapped data key and the sealed secret. */
export interface Envelope {
  v: 1;
  /** The data key, sealed by the KEK. */
  dk: Sealed;
  /** The secret, sealed by the data key. */
  data: Sealed;
}

const dataAad = (id: string, service: string) => `paios-vault/v1/data/${id}/${service}`;
const keyAad = (id: string) => `paios-vault/v1/key/${id}`;

export function encryptSecret(kek: Buffer, id: string, service: string, secret: unknown): Envelope {
  const dataKey = randomBytes(32);
  try {
    return {
      v: 1,
      dk: seal(kek, dataKey, keyAad(id)),
      data: seal(dataKey, Buffer.from(JSON.stringify(secret)), dataAad(id, service)),
    };
  } finally {
    dataKey.fill(0);
  }
}

export function decryptSecret(kek: Buffer, id: string, service: string, envelope: Envelope): unknown {
  if (envelope.v !== 1) throw new VaultCryptoError(`unknown envelope version ${String(envelope.v)}`);
  const dataKey = open(kek, envelope.dk, keyAad(id));
  try {
    const plain = open(dataKey, envelope.data, dataAad(id, service));
    try {
      return JSON.parse(plain.toString('utf8')) as unknown;
    } finally {
      plain.fill(0);
    }
  } finally {
    dataKey.fill(0);
  }
}

/** Master-password change: the same data key, wrapped by the new KEK; the secret's ciphertext stays. */
export function rewrap(oldKek: Buffer, newKek: Buffer, id: string, envelope: Envelope): Envelope {
  const dataKey = open(oldKek, envelope.dk, keyAad(id));
  try {
    return { ...envelope, dk: seal(newKek, dataKey, keyAad(id)) };
  } finally {
    dataKey.fill(0);
  }
}

/** A known value sealed by the KEK: opening it proves the master password without any secret. */
export const makeVerifier = (kek: Buffer, keyId: string): Sealed =>
  seal(kek, Buffer.from('paios-vault'), `paios-vault/v1/verifier/${keyId}`);

export function checkVerifier(kek: Buffer, keyId: string, verifier: Sealed): boolean {
  try {
    open(kek, verifier, `paios-vault/v1/verifier/${keyId}`);
    return true;
  } catch {
    return false;
  }
}
