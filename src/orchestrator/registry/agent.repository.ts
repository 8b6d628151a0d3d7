import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, In } from 'typeorm';
import {
  AgentEntity,
  AgentMemoryEntity,
  AgentWorkflowEntity,
  VoiceInteractionEntity,
} from '../../database/entities/index.js';
import { insertUserRow, updateUserRow } from '../../database/user-rows.js';

export interface AgentFields {
  agentNumber: number;
  name: string;
  description?: string | null;
  config?: Record<string, unknown>;
  isActive?: boolean;
}

/** The `agents` table, always scoped to one user. */
@Injectable()
export class AgentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(AgentEntity);
  }

  listForUser(userId: string): Promise<AgentEntity[]> {
    return this.repo.find({ where: { userId }, order: { agentNumber: 'ASC' } });
  }

  findForUser(userId: string, id: string): Promise<AgentEntity | null> {
    return this.repo.findOneBy({ userId, id });
  }

  findByNumber(userId: string, agentNumber: number): Promise<AgentEntity | null> {
    return this.repo.findOneBy({ userId, agentNumber });
  }

  /** The user's row for an agent number, created (active, empty config) on first use. */
  async ensureForUser(userId: string, agentNumber: number, name: string, description: string): Promise<AgentEntity> {
    await this.repo
      .createQueryBuilder()
      .insert()
      .values({ userId, agentNumber, name, description, config: {}, isActive: true })
      .orIgnore()
      .execute();
    return this.repo.findOneByOrFail({ userId, agentNumber });
  }

  /** Creates the user's rows for these agents where missing (one statement), keeping existing ones. */
  async ensureManyForUser(
    userId: string,
    agents: { agentNumber: number; name: string; description: string }[],
  ): Promise<void> {
    if (agents.length === 0) return;
    await this.repo
      .createQueryBuilder()
      .insert()
      .values(agents.map((a) => ({ userId, ...a, config: {}, isActive: true })))
      .orIgnore()
      .execute();
  }

  async countOwned(userId: string, ids: string[]): Promise<number> {
    return ids.length === 0 ? 0 : this.repo.countBy({ userId, id: In([...new Set(ids)]) });
  }

  create(userId: string, fields: AgentFields): Promise<AgentEntity> {
    return insertUserRow(this.repo, {
      userId,
      agentNumber: fields.agentNumber,
      name: fields.name,
      description: fields.description ?? null,
      config: fields.config ?? {},
      isActive: fields.isActive ?? true,
    });
  }

  /** Applies the given fields; returns null when the user has no such agent. */
  update(userId: string, id: string, fields: Partial<AgentFields>): Promise<AgentEntity | null> {
    return updateUserRow(this.repo, userId, id, fields);
  }

  /** Workflows that start or end at this agent (they block its deletion). */
  workflowsUsing(agentId: string): Promise<AgentWorkflowEntity[]> {
    return this.dataSource.getRepository(AgentWorkflowEntity).find({
      where: [{ sourceAgentId: agentId }, { targetAgentId: agentId }],
      order: { createdAt: 'ASC' },
    });
  }

  /**
   * Deletes the agent with its memory; interaction history is kept, detached from the agent.
   * Returns false when the user has no such agent.
   */
  async delete(userId: string, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      const agent = await em.findOneBy(AgentEntity, { userId, id });
      if (!agent) return false;
      await em.update(VoiceInteractionEntity, { agentId: id }, { agentId: null });
      await em.delete(AgentMemoryEntity, { agentId: id });
      await em.delete(AgentEntity, { id });
      return true;
    });
  }
}
