import { DomainError, ErrorCode } from '../common/errors.js';
import type { VaultAuditRepository } from './vault-audit.repository.js';
import type { VaultGrantRepository } from './vault-grant.repository.js';
import type { VaultSecrets } from './vault-secrets.js';
import type { VaultActor, VaultGrant } from './vault.types.js';

/**
 * What agents may read: a person grants agent #n one service at a time, and an agent reads that
 * service's secret only while the grant stands (and the vault is open, or the server key opens it).
 * Grants, revocations and every read or refused read are audited.
 */
export class VaultGrants {
  constructor(
    private readonly grants: VaultGrantRepository,
    private readonly secrets: VaultSecrets,
    private readonly audit: VaultAuditRepository,
  ) {}

  async grant(userId: string, agentNumber: number, serviceName: string): Promise<void> {
    await this.grants.add(userId, agentNumber, serviceName);
    await this.audit.record(userId, 'grant', 'user', 'ok', serviceName);
  }

  async revoke(userId: string, agentNumber: number, serviceName: string): Promise<boolean> {
    const removed = await this.grants.remove(userId, agentNumber, serviceName);
    await this.audit.record(userId, 'revoke', 'user', 'ok', serviceName);
    return removed;
  }

  /** Whether `agentNumber` may read `serviceName` (no audit entry: nothing is read). */
  isGranted(userId: string, agentNumber: number, serviceName: string): Promise<boolean> {
    return this.grants.exists(userId, agentNumber, serviceName);
  }

  list(userId: string): Promise<VaultGrant[]> {
    return this.grants.list(userId);
  }

  /**
   * What an agent uses: the secret of `serviceName`, only if the user granted it to that agent and
   * the vault is open (or the server key opens it). Refusals are audited and explained.
   */
  async secretFor(userId: string, agentNumber: number, serviceName: string): Promise<Record<string, unknown>> {
    const actor: VaultActor = `agent#${agentNumber}`;
    if (!(await this.grants.exists(userId, agentNumber, serviceName))) {
      await this.audit.record(userId, 'read', actor, 'denied', serviceName);
      throw new DomainError(
        ErrorCode.Forbidden,
        `agent #${agentNumber} may not read ${serviceName}: grant it with "grant #${agentNumber} ${serviceName}"`,
      );
    }
    return this.secrets.read(userId, serviceName, actor);
  }
}
