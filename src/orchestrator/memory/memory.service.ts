import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AgentMemory } from '../../sdk/agent.contract.js';
import { ConversationHistoryRepository } from '../conversation/conversation-history.repository.js';
import { OnJob } from '../jobs/job-handler.registry.js';
import { JobQueue } from '../jobs/job-queue.port.js';

declare module '../jobs/job-queue.port.js' {
  interface JobPayloads {
    'memory.prune-expired': Record<string, never>;
  }
}

export interface SaveMemoryOptions {
  ttlSeconds?: number;
  /** Higher comes first when read back; default 1.0 (the seed's default). */
  relevance?: number;
}

/**
 * `agent_memory`: what an agent remembers for one user (the seed's saveMemory / getMemory). Reads
 * come most relevant first and never include expired rows; an hourly job deletes those, and the
 * conversation turns that have expired.
 */
@Injectable()
export class MemoryService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Memory');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly conversations: ConversationHistoryRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('memory.prune-expired', 'memory.prune-expired', {}, { cron: '17 * * * *' });
  }

  async save(agentId: string, type: string, content: unknown, options: SaveMemoryOptions = {}): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO agent_memory (agent_id, memory_type, content, relevance_score, expires_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL
                                    ELSE (NOW() AT TIME ZONE 'UTC') + ($5::int * INTERVAL '1 second') END)`,
      [agentId, type, JSON.stringify(content ?? null), options.relevance ?? 1.0, options.ttlSeconds ?? null],
    );
  }

  async get(agentId: string, type: string, limit = 50): Promise<unknown[]> {
    const rows = await this.dataSource.query<{ content: unknown }[]>(
      `SELECT content FROM agent_memory
        WHERE agent_id = $1 AND memory_type = $2
          AND (expires_at IS NULL OR expires_at > (NOW() AT TIME ZONE 'UTC'))
        ORDER BY relevance_score DESC NULLS LAST, created_at DESC
        LIMIT $3`,
      [agentId, type, limit],
    );
    return rows.map((r) => r.content);
  }

  /** Memory of one agent row, resolved lazily (the row may be created on first use). */
  bind(resolveAgentId: () => Promise<string>): AgentMemory {
    return {
      save: async (type, content, options) => this.save(await resolveAgentId(), type, content, options),
      get: async (type, limit) => this.get(await resolveAgentId(), type, limit),
    };
  }

  @OnJob('memory.prune-expired')
  async pruneExpired(): Promise<number> {
    const [, removed] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM agent_memory WHERE expires_at IS NOT NULL AND expires_at <= (NOW() AT TIME ZONE 'UTC')`,
    );
    const turns = await this.conversations.pruneExpired();
    if (removed + turns > 0) this.logger.log(`removed ${removed} expired memories and ${turns} conversation turns`);
    return removed;
  }
}
