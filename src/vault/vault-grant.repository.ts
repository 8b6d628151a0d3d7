import type { DataSource } from 'typeorm';
import { returnedRows } from '../database/query-result.js';
import type { VaultGrant } from './vault.types.js';

/** SQL of `vault_grants`: which agent may read which of a person's services. */
export class VaultGrantRepository {
  constructor(private readonly db: DataSource) {}

  async add(userId: string, agentNumber: number, serviceName: string): Promise<void> {
    await this.db.query(
      `INSERT INTO vault_grants (user_id, agent_number, service_name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [userId, agentNumber, serviceName],
    );
  }

  /** True when there was such a grant. */
  async remove(userId: string, agentNumber: number, serviceName: string): Promise<boolean> {
    const rows = returnedRows<unknown>(
      await this.db.query(
        `DELETE FROM vault_grants WHERE user_id = $1 AND agent_number = $2 AND service_name = $3 RETURNING 1`,
        [userId, agentNumber, serviceName],
      ),
    );
    return rows.length > 0;
  }

  async exists(userId: string, agentNumber: number, serviceName: string): Promise<boolean> {
    const [row] = await this.db.query<unknown[]>(
      `SELECT 1 FROM vault_grants WHERE user_id = $1 AND agent_number = $2 AND service_name = $3`,
      [userId, agentNumber, serviceName],
    );
    return row !== undefined;
  }

  async list(userId: string): Promise<VaultGrant[]> {
    const rows = await this.db.query<{ agent_number: number; service_name: string; created_at: Date }[]>(
      `SELECT agent_number, service_name, created_at FROM vault_grants WHERE user_id = $1
       ORDER BY agent_number, service_name`,
      [userId],
    );
    return rows.map((r) => ({ agentNumber: r.agent_number, serviceName: r.service_name, createdAt: r.created_at }));
  }
}
