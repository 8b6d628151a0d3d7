import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SystemModificationEntity } from '../../database/entities/index.js';
import type { ExternalTransport } from './agent-spec.js';

/** The recorded state of one registry slot: enough to restore it. */
export interface AgentSlotState {
  agentNumber: number;
  name: string;
  version: string;
  enabled: boolean;
  config: Record<string, unknown>;
  source: { kind: 'builtin' } | { kind: 'external'; description: string; transport: ExternalTransport };
}

export type ModificationType =
  'agent.register' | 'agent.enable' | 'agent.disable' | 'agent.reconfigure' | 'agent.upgrade' | 'agent.rollback';

export interface ModificationView {
  id: string;
  type: string;
  userId: string | null;
  before: AgentSlotState | null;
  after: AgentSlotState | null;
  appliedAt: string;
  rollbackAvailable: boolean;
}

const toView = (m: SystemModificationEntity): ModificationView => ({
  id: m.id,
  type: m.modificationType,
  userId: m.userId,
  before: (m.beforeState as AgentSlotState | null) ?? null,
  after: (m.afterState as AgentSlotState | null) ?? null,
  appliedAt: m.appliedAt.toISOString(),
  rollbackAvailable: m.rollbackAvailable ?? true,
});

/**
 * `system_modifications` as the registry's journal: every change with its before and after state.
 * The latest `after` per agent is the state the registry restores at start.
 */
@Injectable()
export class ModificationStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(SystemModificationEntity);
  }

  async record(
    type: ModificationType,
    before: AgentSlotState | null,
    after: AgentSlotState | null,
    userId: string | null,
  ): Promise<ModificationView> {
    const saved = await this.repo.save(
      this.repo.create({
        modificationType: type,
        beforeState: before,
        afterState: after,
        userId,
        rollbackAvailable: true,
      }),
    );
    return toView(await this.repo.findOneByOrFail({ id: saved.id }));
  }

  async get(id: string): Promise<ModificationView | null> {
    const row = await this.repo.findOneBy({ id });
    return row ? toView(row) : null;
  }

  async list(limit = 50): Promise<ModificationView[]> {
    const rows = await this.repo
      .createQueryBuilder('m')
      .where(`m.modification_type LIKE 'agent.%'`)
      .orderBy('m.applied_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .limit(limit)
      .getMany();
    return rows.map(toView);
  }

  /** The last recorded state of every agent that was ever changed. */
  async latestStates(): Promise<Map<number, AgentSlotState>> {
    const rows = await this.dataSource.query<{ after_state: AgentSlotState }[]>(
      `SELECT DISTINCT ON ((after_state->>'agentNumber')::int) after_state
         FROM system_modifications
        WHERE modification_type LIKE 'agent.%' AND after_state IS NOT NULL
        ORDER BY (after_state->>'agentNumber')::int, applied_at DESC, id DESC`,
    );
    return new Map(rows.map((r) => [r.after_state.agentNumber, r.after_state]));
  }
}
