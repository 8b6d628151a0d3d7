import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Clock } from '../../src/common/clock.js';
import { ConfigModule } from '../../src/config/config.module.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { JobsModule } from '../../src/orchestrator/jobs/jobs.module.js';
import { OrchestratorModule } from '../../src/orchestrator/orchestrator.module.js';
import { RedisModule } from '../../src/database/redis.module.js';
import { testConfig } from './config.js';
import { openTestDatabase, type TestDatabase } from './services.js';
import { TestAgentsModule } from './test-agents.js';

export interface OrchestratorApp {
  app: INestApplicationContext;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The orchestrator (no HTTP) with the two test agents on a fresh migrated database. */
export async function startOrchestrator(
  kind: TestDatabase['kind'] = 'pglite',
  env: Record<string, string> = {},
  extraModules: (Type | DynamicModule)[] = [],
  clock?: Clock,
): Promise<OrchestratorApp> {
  const db = await openTestDatabase(kind);
  const config = testConfig({ AGENT_DRAIN_TIMEOUT_MS: '5000', ...env });
  const options = { ...db.dataSource.options, poolSize: 5 } as Parameters<typeof DatabaseModule.forRoot>[0];
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config, clock),
      RedisModule.forRoot(config.redis.url),
      DatabaseModule.forRoot(options),
      JobsModule.forRoot(config, { processJobs: true }),
      OrchestratorModule,
      TestAgentsModule,
      ...extraModules,
    ],
  }).compile();
  const app = await moduleRef.init();
  return {
    app,
    db,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
