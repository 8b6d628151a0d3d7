import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { VoiceInteractionEntity } from '../../database/entities/index.js';

export type ExecutionStatus = 'success' | 'error' | 'timeout' | 'clarify';

export interface InteractionView {
  id: string;
  agentId: string | null;
  commandText: string;
  responseText: string | null;
  executionStatus: string | null;
  executionTimeMs: number | null;
  createdAt: string;
}

/** `voice_interactions`: the history of commands (typed or spoken) and their answers. */
@Injectable()
export class InteractionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(VoiceInteractionEntity);
  }

  async record(row: {
    userId: string;
    agentId: string | null;
    commandText: string;
    responseText: string | null;
    status: ExecutionStatus;
    executionTimeMs: number;
  }): Promise<string> {
    const saved = await this.repo.save(
      this.repo.create({
        userId: row.userId,
        agentId: row.agentId,
        commandText: row.commandText,
        responseText: row.responseText,
        executionStatus: row.status,
        executionTimeMs: Math.round(row.executionTimeMs),
      }),
    );
    return saved.id;
  }

  async listForUser(userId: string, limit = 50, agentId?: string): Promise<InteractionView[]> {
    const rows = await this.repo.find({
      where: agentId ? { userId, agentId } : { userId },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return rows.map((r) => ({
      id: r.id,
      agentId: r.agentId,
      commandText: r.commandText,
      responseText: r.responseText,
      executionStatus: r.executionStatus,
      executionTimeMs: r.executionTimeMs,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
