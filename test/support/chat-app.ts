import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/common/clock.js';
import { ChatCoreModule } from '../../src/adapters/adapters.module.js';
import { ApiExceptionFilter } from '../../src/api/common/api-exception.filter.js';
import { ConfigModule } from '../../src/config/config.module.js';
import type { PaiosConfig } from '../../src/config/config.schema.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { JobsModule } from '../../src/orchestrator/jobs/jobs.module.js';
import { OrchestratorModule } from '../../src/orchestrator/orchestrator.module.js';
import { RedisModule } from '../../src/database/redis.module.js';
import { testConfig } from './config.js';
import { openTestDatabase, type TestDatabase } from './services.js';
import { TestAgentsModule } from './test-agents.js';

export interface ChatApp {
  app: INestApplication;
  /** http://127.0.0.1:port where the webhooks listen. */
  url: string;
  db: TestDatabase;
  config: PaiosConfig;
  /** Creates a paios user and pairs a platform account with it, as `paios users approve` would. */
  pair(platform: string, platformUserId: string, workspace?: string, email?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The orchestrator with the test agents, the chat core (gateway, dedupe, pairing, digests) and the
 * given platform modules, served over HTTP on 127.0.0.1:0 with raw bodies kept for signature checks,
 * the way `paios start` serves webhooks (without the API module, which Jest cannot load in-process).
 */
export async function startChatApp(options: {
  env?: Record<string, string>;
  modules?: (Type | DynamicModule)[];
  database?: TestDatabase['kind'];
  /** Where the app stands in time (the wall clock unless given). */
  clock?: Clock;
}): Promise<ChatApp> {
  const db = await openTestDatabase(options.database ?? 'pglite');
  const config = testConfig({ AGENT_DRAIN_TIMEOUT_MS: '5000', ...options.env });
  const dbOptions = { ...db.dataSource.options, poolSize: 5 } as Parameters<typeof DatabaseModule.forRoot>[0];
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config, options.clock),
      RedisModule.forRoot(config.redis.url),
      DatabaseModule.forRoot(dbOptions),
      JobsModule.forRoot(config, { processJobs: true }),
      OrchestratorModule,
      TestAgentsModule,
      ChatCoreModule.forRoot('server'),
      ...(options.modules ?? []),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, logger: ['error', 'warn'] });
  app.useGlobalFilters(new ApiExceptionFilter());
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const users = app.get(UserRepository);
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    db,
    config,
    pair: async (platform, platformUserId, workspace = '', email = `${platform}-${platformUserId}@example.test`) => {
      const user = await users.upsertByEmail(email);
      await users.linkIdentity(user.id, { platform, platformUserId, workspace });
      return user.id;
    },
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
