import { DomainError, ErrorCode } from '../common/errors.js';
import type { VaultAuditRepository } from './vault-audit.repository.js';
import type { VaultActor } from './vault.types.js';

/** Failed unlocks allowed in the window before the vault refuses to even try. */
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60_000;

/**
 * Guessing the master password is slow by design: after five wrong passwords in 15 minutes (counted
 * from the audit log, so every process agrees) the vault refuses to try, right password included,
 * until the window has passed. A successful unlock starts the count again.
 */
export class VaultLockout {
  constructor(
    private readonly audit: VaultAuditRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws (and audits the refusal) when the person has used up their attempts. */
  async check(userId: string, actor: VaultActor): Promise<void> {
    const failures = await this.audit.failedUnlocksSince(userId, new Date(this.now() - FAILURE_WINDOW_MS));
    if (failures < MAX_FAILURES) return;
    await this.audit.record(userId, 'unlock', actor, 'refused');
    throw new DomainError(
      ErrorCode.Forbidden,
      `too many wrong master passwords; the vault accepts no attempt for up to 15 minutes`,
    );
  }

  /** A wrong password, on the record (it counts towards the lockout). */
  async failed(userId: string, actor: VaultActor): Promise<void> {
    await this.audit.record(userId, 'unlock', actor, 'failed');
  }
}
