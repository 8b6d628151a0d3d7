import type { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors.js';
import { envelopeOf, type CredentialRepository } from './credential.repository.js';
import type { VaultAuditRepository } from './vault-audit.repository.js';
import type { VaultKeyRepository } from './vault-key.repository.js';
import type { VaultKeys } from './vault-keys.js';
import type { VaultSessions } from './vault-sessions.js';
import { rewrap } from './vault.crypto.js';
import { assertMasterPassword } from './vault.types.js';

/**
 * A new master password: a new key, every data key re-wrapped, the old key retired, all in one
 * transaction. Interrupted anywhere, nothing changes: the old password still opens everything. The
 * secrets' own ciphertext is not touched, only the data keys that open it.
 */
export class VaultRotation {
  constructor(
    private readonly db: DataSource,
    private readonly keys: VaultKeys,
    private readonly keyRows: VaultKeyRepository,
    private readonly credentials: CredentialRepository,
    private readonly sessions: VaultSessions,
    private readonly audit: VaultAuditRepository,
  ) {}

  /** `afterEach` lets a test interrupt it midway. */
  async changeMasterPassword(
    userId: string,
    oldPassword: string,
    newPassword: string,
    afterEach?: (done: number) => void,
  ): Promise<{ rewrapped: number }> {
    assertMasterPassword(newPassword);
    const key = await this.keys.active(userId);
    if (!key) throw new DomainError(ErrorCode.NotFound, 'there is no vault yet: unlock sets the first master password');
    const oldKek = await this.keys.open(key, oldPassword);
    if (!oldKek) {
      await this.audit.record(userId, 'change_master', 'user', 'failed');
      throw new DomainError(ErrorCode.Unauthenticated, 'wrong master password');
    }
    let created: { id: string; kek: Buffer } | undefined;
    try {
      const count = await this.db.transaction(async (tx) => {
        await this.keyRows.retire(tx, key.id);
        created = await this.keys.create(userId, newPassword, tx);
        const rows = await this.credentials.lockAll(tx, userId);
        let done = 0;
        for (const row of rows) {
          const moved = rewrap(oldKek, created.kek, row.id, envelopeOf(row));
          await this.credentials.rewrapped(tx, row.id, moved, created.id);
          afterEach?.(++done);
        }
        return rows.length;
      });
      await this.sessions.lock(userId);
      await this.sessions.open(userId, created!.kek, created!.id);
      await this.audit.record(userId, 'change_master', 'user', 'ok');
      return { rewrapped: count };
    } catch (err) {
      created?.kek.fill(0);
      throw err;
    } finally {
      oldKek.fill(0);
    }
  }
}
