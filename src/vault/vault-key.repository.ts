import type { DataSource, EntityManager } from 'typeorm';
import type { Sealed } from './vault.crypto.js';

/** A person's master key: its KDF settings (PHC string) and the verifier the right password opens. */
export interface VaultKeyRow {
  id: string;
  kdf: string;
  verifier: Sealed;
}

/** SQL of `vault_keys`: one active key per person, retired ones kept for the record. */
export class VaultKeyRepository {
  constructor(private readonly db: DataSource) {}

  async active(userId: string): Promise<VaultKeyRow | null> {
    const [row] = await this.db.query<VaultKeyRow[]>(
      `SELECT id, kdf, verifier FROM vault_keys WHERE user_id = $1 AND retired_at IS NULL`,
      [userId],
    );
    return row ?? null;
  }

  async countActive(userId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM vault_keys WHERE user_id = $1 AND retired_at IS NULL`,
      [userId],
    );
    return row?.n ?? 0;
  }

  /** Inside transaction `m` when given. */
  async insert(
    userId: string,
    key: { id: string; kdf: string; verifier: Sealed },
    m: EntityManager = this.db.manager,
  ): Promise<void> {
    await m.query(`INSERT INTO vault_keys (id, user_id, kdf, verifier) VALUES ($1, $2, $3, $4)`, [
      key.id,
      userId,
      key.kdf,
      JSON.stringify(key.verifier),
    ]);
  }

  async retire(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE vault_keys SET retired_at = now() WHERE id = $1`, [id]);
  }
}
