import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors.js';
import { returnedRows } from '../database/query-result.js';
import type { Envelope } from './vault.crypto.js';
import type { CredentialSummary } from './vault.types.js';

export interface CredentialRow {
  id: string;
  service_name: string;
  encrypted_data: string;
  encryption_key_id: string;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

/** SQL of `credentials`: sealed envelopes (never plaintext) with their service name and metadata. */
export class CredentialRepository {
  constructor(private readonly db: DataSource) {}

  /** Null when the person already has a credential for this service. */
  async insert(
    userId: string,
    c: { id: string; serviceName: string; envelope: Envelope; keyId: string; metadata: Record<string, unknown> },
  ): Promise<CredentialRow | null> {
    try {
      const [row] = await this.db.query<CredentialRow[]>(
        `INSERT INTO credentials (id, user_id, service_name, encrypted_data, encryption_key_id, metadata)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [c.id, userId, c.serviceName, JSON.stringify(c.envelope), c.keyId, JSON.stringify(c.metadata)],
      );
      return row!;
    } catch (err) {
      if (String((err as { code?: string }).code) === '23505') return null;
      throw err;
    }
  }

  /** New data (sealed under `keyId`) and/or new metadata; what is not given stays. */
  async update(
    userId: string,
    id: string,
    changes: { envelope?: Envelope; keyId: string; metadata?: Record<string, unknown> },
  ): Promise<CredentialRow | undefined> {
    const [row] = returnedRows<CredentialRow>(
      await this.db.query(
        `UPDATE credentials SET encrypted_data = COALESCE($3, encrypted_data),
           encryption_key_id = CASE WHEN $3::text IS NULL THEN encryption_key_id ELSE $4 END,
           metadata = COALESCE($5::jsonb, metadata), updated_at = now()
         WHERE id = $1 AND user_id = $2 RETURNING *`,
        [
          id,
          userId,
          changes.envelope ? JSON.stringify(changes.envelope) : null,
          changes.keyId,
          changes.metadata ? JSON.stringify(changes.metadata) : null,
        ],
      ),
    );
    return row;
  }

  async delete(userId: string, id: string): Promise<void> {
    await this.db.query(`DELETE FROM credentials WHERE id = $1 AND user_id = $2`, [id, userId]);
  }

  async list(userId: string): Promise<CredentialRow[]> {
    return this.db.query<CredentialRow[]>(`SELECT * FROM credentials WHERE user_id = $1 ORDER BY service_name`, [
      userId,
    ]);
  }

  async count(userId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM credentials WHERE user_id = $1`,
      [userId],
    );
    return row?.n ?? 0;
  }

  /** The person's credential `id`, or a NotFound error. */
  async get(userId: string, id: string): Promise<CredentialRow> {
    const [row] = await this.db.query<CredentialRow[]>(`SELECT * FROM credentials WHERE id = $1 AND user_id = $2`, [
      id,
      userId,
    ]);
    if (!row) throw new DomainError(ErrorCode.NotFound, `credential ${id} not found`);
    return row;
  }

  async findByService(userId: string, serviceName: string): Promise<CredentialRow | null> {
    const [row] = await this.db.query<CredentialRow[]>(
      `SELECT * FROM credentials WHERE user_id = $1 AND service_name = $2`,
      [userId, serviceName],
    );
    return row ?? null;
  }

  /** Every credential of the person, locked for the rest of transaction `m`. */
  async lockAll(m: EntityManager, userId: string): Promise<CredentialRow[]> {
    return m.query<CredentialRow[]>(`SELECT * FROM credentials WHERE user_id = $1 FOR UPDATE`, [userId]);
  }

  async rewrapped(m: EntityManager, id: string, envelope: Envelope, keyId: string): Promise<void> {
    await m.query(
      `UPDATE credentials SET encrypted_data = $2, encryption_key_id = $3, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(envelope), keyId],
    );
  }
}

export function toSummary(r: CredentialRow): CredentialSummary {
  return {
    id: r.id,
    serviceName: r.service_name,
    metadata: r.metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function envelopeOf(r: CredentialRow): Envelope {
  return JSON.parse(r.encrypted_data) as Envelope;
}
