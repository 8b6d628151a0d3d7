import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../common/errors.js';
import { envelopeOf, toSummary, type CredentialRepository, type CredentialRow } from './credential.repository.js';
import type { VaultAuditRepository } from './vault-audit.repository.js';
import type { VaultSessions } from './vault-sessions.js';
import { decryptSecret, encryptSecret } from './vault.crypto.js';
import type { CredentialSummary, VaultActor } from './vault.types.js';

/**
 * A person's credentials: stored sealed under their open vault, listed by name and metadata (even
 * while locked), revealed to their owner only, every change and reveal audited.
 */
export class VaultSecrets {
  constructor(
    private readonly credentials: CredentialRepository,
    private readonly sessions: VaultSessions,
    private readonly audit: VaultAuditRepository,
  ) {}

  async store(
    userId: string,
    serviceName: string,
    data: Record<string, unknown>,
    metadata: Record<string, unknown> = {},
    actor: VaultActor = 'user',
  ): Promise<CredentialSummary> {
    const s = await this.sessions.require(userId);
    const id = randomUUID();
    const envelope = encryptSecret(s.kek, id, serviceName, data);
    const row = await this.credentials.insert(userId, { id, serviceName, envelope, keyId: s.keyId, metadata });
    if (!row)
      throw new DomainError(ErrorCode.Conflict, `there is already a credential for ${serviceName}; update it instead`);
    await this.audit.record(userId, 'store', actor, 'ok', serviceName, id);
    return toSummary(row);
  }

  async update(
    userId: string,
    id: string,
    changes: { data?: Record<string, unknown>; metadata?: Record<string, unknown> },
    actor: VaultActor = 'user',
  ): Promise<CredentialSummary> {
    const row = await this.credentials.get(userId, id);
    const s = await this.sessions.require(userId);
    const envelope = changes.data ? encryptSecret(s.kek, id, row.service_name, changes.data) : undefined;
    const updated = await this.credentials.update(userId, id, {
      envelope,
      keyId: s.keyId,
      metadata: changes.metadata,
    });
    await this.audit.record(userId, 'update', actor, 'ok', row.service_name, id);
    return toSummary(updated!);
  }

  async remove(userId: string, id: string, actor: VaultActor = 'user'): Promise<void> {
    const row = await this.credentials.get(userId, id);
    await this.credentials.delete(userId, id);
    await this.audit.record(userId, 'delete', actor, 'ok', row.service_name, id);
  }

  /** Names and metadata only; works while locked. */
  async list(userId: string, actor: VaultActor = 'user'): Promise<CredentialSummary[]> {
    const rows = await this.credentials.list(userId);
    await this.audit.record(userId, 'list', actor, 'ok');
    return rows.map(toSummary);
  }

  /** The secret itself, for its owner. */
  async reveal(userId: string, id: string, actor: VaultActor = 'user'): Promise<Record<string, unknown>> {
    return this.open(userId, await this.credentials.get(userId, id), 'reveal', actor);
  }

  async findByService(userId: string, serviceName: string): Promise<CredentialSummary | null> {
    const row = await this.credentials.findByService(userId, serviceName);
    return row ? toSummary(row) : null;
  }

  /** The secret of the person's `serviceName` credential, read by `actor` (see VaultGrants). */
  async read(userId: string, serviceName: string, actor: VaultActor): Promise<Record<string, unknown>> {
    const row = await this.credentials.findByService(userId, serviceName);
    if (!row) throw new DomainError(ErrorCode.NotFound, `no credential stored for ${serviceName}`);
    return this.open(userId, row, 'read', actor);
  }

  /** Decrypts `row` under the open vault, and audits it as `action`. */
  private async open(
    userId: string,
    row: CredentialRow,
    action: 'reveal' | 'read',
    actor: VaultActor,
  ): Promise<Record<string, unknown>> {
    const s = await this.sessions.require(userId);
    const secret = decryptSecret(s.kek, row.id, row.service_name, envelopeOf(row));
    await this.audit.record(userId, action, actor, 'ok', row.service_name, row.id);
    return secret as Record<string, unknown>;
  }
}
