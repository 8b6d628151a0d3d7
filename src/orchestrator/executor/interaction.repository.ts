import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { VoiceInteractionEntity } from '../../database/entities/index.js';

export type ExecutionStatus = 'success' | 'error' | 'timeout' | 'clarify' | 'untranscribed';

/** Where a command came from: the chat platform, and for voice the audio and how long transcribing took. */
export interface InteractionOrigin {
  channel?: string;
  inputKind?: 'text' | 'voice';
  /** Where the audio is kept (under the data dir), so a failed transcription can be retried. */
  audioPath?: string;
  audioSeconds?: number;
  transcriptionMs?: number;
}

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
    origin?: InteractionOrigin;
  }): Promise<string> {
    const o = row.origin ?? {};
    const saved = await this.repo.save(
      this.repo.create({
        channel: o.channel ?? null,
        inputKind: o.inputKind ?? 'text',
        audioPath: o.audioPath ?? null,
        audioSeconds: o.audioSeconds ?? null,
        transcriptionMs: o.transcriptionMs === undefined ? null : Math.round(o.transcriptionMs),
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
