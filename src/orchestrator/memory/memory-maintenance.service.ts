import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OnJob } from '../jobs/job-handler.registry.js';
import { JobQueue } from '../jobs/job-queue.port.js';

declare module '../jobs/job-queue.port.js' {
  interface JobPayloads {
    'memory.prune-expired': Record<string, never>;
  }
}

/** Removes agent memories past their `expires_at`, every hour, as a scheduled job. */
@Injectable()
export class MemoryMaintenanceService implements OnApplicationBootstrap {
  private readonly logger = new Logger('MemoryMaintenance');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('memory.prune-expired', 'memory.prune-expired', {}, { cron: '17 * * * *' });
  }

  @OnJob('memory.prune-expired')
  async pruneExpired(): Promise<void> {
    const [, removed] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM agent_memory WHERE expires_at IS NOT NULL AND expires_at < (NOW() AT TIME ZONE 'UTC')`,
    );
    if (removed > 0) this.logger.log(`removed ${removed} expired memories`);
  }
}
