import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AgentWorkflowEntity } from '../../database/entities/index.js';
import { insertUserRow, updateUserRow } from '../../database/user-rows.js';

export interface WorkflowFields {
  sourceAgentId: string;
  targetAgentId: string;
  triggerConditions?: Record<string, unknown>;
  actions?: Record<string, unknown>;
  isActive?: boolean;
}

/** The `agent_workflows` table, always scoped to one user. */
@Injectable()
export class WorkflowRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(AgentWorkflowEntity);
  }

  listForUser(userId: string): Promise<AgentWorkflowEntity[]> {
    return this.repo.find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findForUser(userId: string, id: string): Promise<AgentWorkflowEntity | null> {
    return this.repo.findOneBy({ userId, id });
  }

  create(userId: string, fields: WorkflowFields): Promise<AgentWorkflowEntity> {
    return insertUserRow(this.repo, {
      userId,
      sourceAgentId: fields.sourceAgentId,
      targetAgentId: fields.targetAgentId,
      triggerConditions: fields.triggerConditions ?? {},
      actions: fields.actions ?? {},
      isActive: fields.isActive ?? true,
    });
  }

  /** Applies the given fields; returns null when the user has no such workflow. */
  update(userId: string, id: string, fields: Partial<WorkflowFields>): Promise<AgentWorkflowEntity | null> {
    return updateUserRow(this.repo, userId, id, fields);
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.repo.delete({ userId, id });
    return (result.affected ?? 0) > 0;
  }
}
