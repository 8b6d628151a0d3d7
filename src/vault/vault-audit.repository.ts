import type { DataSource } from 'typeorm';
import type { AuditEntry, AuditOutcome, VaultActor } from './vault.types.js';

/**
 * The vault's append-only audit log (`vault_audit`; the database refuses UPDATE and DELETE): who did
 * what to which service and how it went. It names services and credential ids, never a secret.
 */
export class VaultAuditRepository {
  constructor(private readonly db: DataSource) {}

  async record(
    userId: string,
    action: string,
    actor: VaultActor,
    outcome: AuditOutcome,
    serviceName?: string,
    credentialId?: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO vault_audit (user_id, action, service_name, credential_id, actor, outcome) VALUES ($1, $2, $3, $4, $5, $6)`,
      [userId, action, serviceName ?? null, credentialId ?? null, actor, outcome],
    );
  }

  /** The newest entries first; `limit` is kept within 1..500. */
  async recent(userId: string, limit = 50): Promise<AuditEntry[]> {
    const rows = await this.db.query<
      { action: string; service_name: string | null; actor: string; outcome: string; at: Date }[]
    >(`SELECT action, service_name, actor, outcome, at FROM vault_audit WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, [
      userId,
      Math.min(Math.max(limit, 1), 500),
    ]);
    return rows.map((r) => ({
      action: r.action,
      serviceName: r.service_name,
      actor: r.actor,
      outcome: r.outcome,
      at: r.at,
    }));
  }

  /** Failed unlocks after `since` and after the last successful unlock (or setup). */
  async failedUnlocksSince(userId: string, since: Date): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM vault_audit
       WHERE user_id = $1 AND action = 'unlock' AND outcome = 'failed' AND at > $2
         AND at > COALESCE((SELECT max(at) FROM vault_audit WHERE user_id = $1 AND action IN ('unlock', 'setup') AND outcome = 'ok'), 'epoch')`,
      [userId, since],
    );
    return row?.n ?? 0;
  }
}
