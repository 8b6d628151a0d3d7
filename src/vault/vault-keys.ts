import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { PaiosConfig } from '../config/config.schema.js';
import { checkVerifier, deriveKek, fromPhc, makeVerifier, newSalt, toPhc } from './vault.crypto.js';
import type { VaultKeyRepository, VaultKeyRow } from './vault-key.repository.js';

/**
 * Master keys: a new one from a password (Argon2id with the configured cost, a fresh salt, a
 * verifier), and the check that a password opens an existing one. Key bytes leave only to the caller,
 * who zeroes them.
 */
export class VaultKeys {
  constructor(
    private readonly repo: VaultKeyRepository,
    private readonly kdf: PaiosConfig['vault']['kdf'],
  ) {}

  active(userId: string): Promise<VaultKeyRow | null> {
    return this.repo.active(userId);
  }

  /** A new active key for the person (inside `m` when given: a rotation makes it in its transaction). */
  async create(userId: string, password: string, m?: EntityManager): Promise<{ id: string; kek: Buffer }> {
    const id = randomUUID();
    const salt = newSalt();
    const kek = await deriveKek(password, this.kdf, salt);
    await this.repo.insert(userId, { id, kdf: toPhc(this.kdf, salt), verifier: makeVerifier(kek, id) }, m);
    return { id, kek };
  }

  /** The key-encryption key when `password` opens `key`; null (nothing kept) when it does not. */
  async open(key: VaultKeyRow, password: string): Promise<Buffer | null> {
    const { params, salt } = fromPhc(key.kdf);
    const kek = await deriveKek(password, params, salt);
    if (checkVerifier(kek, key.id, key.verifier)) return kek;
    kek.fill(0);
    return null;
  }
}
