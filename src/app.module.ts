import { type DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import type { DataSourceOptions } from 'typeorm';
import { BusinessIntelligenceModule } from './agents/business-intelligence/business-intelligence.module.js';
import { PasswordVaultModule } from './agents/password-vault/password-vault.module.js';
import { SystemArchitectureModule } from './agents/system-architecture/system-architecture.module.js';
import { InvoicingModule } from './agents/invoicing/invoicing.module.js';
import { PublishingModule } from './agents/publishing/publishing.module.js';
import { ResearchModule } from './agents/research/research.module.js';
import { SocialMediaModule } from './agents/social-media/social-media.module.js';
import { WebScrapingModule } from './agents/web-scraping/web-scraping.module.js';
import { ApiModule } from './api/api.module.js';
import { RedisThrottlerStorage } from './api/auth/redis-throttler.storage.js';
import { ConfigModule } from './config/config.module.js';
import type { PaiosConfig } from './config/config.schema.js';
import { DatabaseModule } from './database/database.module.js';
import { JobsModule } from './orchestrator/jobs/jobs.module.js';
import { OrchestratorModule } from './orchestrator/orchestrator.module.js';
import { MetricsController } from './ops/metrics.controller.js';
import { MetricsMiddleware } from './ops/metrics.middleware.js';
import { OpsModule } from './ops/ops.module.js';
import { loggerParams } from './ops/logging.js';
import { REDIS_CLIENT, RedisModule } from './database/redis.module.js';
import type { MiddlewareConsumer, NestModule } from '@nestjs/common';
import type { ProcessRole } from './config/process-role.js';
import { AdaptersModule } from './adapters/adapters.module.js';
import { VaultModule } from './vault/vault.module.js';

export type { ProcessRole } from './config/process-role.js';

/**
 * The root module, assembled for a role: `server` serves HTTP (and processes jobs unless
 * PAIOS_PROCESS_JOBS=false); `worker` only processes jobs.
 */
@Module({})
export class AppModule implements NestModule {
  static forRoot(
    config: PaiosConfig,
    database: DataSourceOptions,
    role: ProcessRole,
    options: { processJobs?: boolean } = {},
  ): DynamicModule {
    const core = [
      ConfigModule.forRoot(config),
      LoggerModule.forRoot(
        role === 'cli' ? loggerParams(config, { stderr: true, level: 'warn' }) : loggerParams(config),
      ),
      OpsModule,
      RedisModule.forRoot(config.redis.url),
      DatabaseModule.forRoot(database),
      JobsModule.forRoot(config, {
        processJobs: options.processJobs ?? (role === 'worker' || config.jobs.processJobs),
      }),
      OrchestratorModule,
      VaultModule,
      // Built-in agents.
      BusinessIntelligenceModule,
      InvoicingModule,
      PasswordVaultModule,
      PublishingModule,
      ResearchModule,
      SocialMediaModule,
      SystemArchitectureModule,
      WebScrapingModule,
      // Chat: the gateway and digests everywhere; platform listeners only in the server.
      AdaptersModule.forRoot(config, role),
    ];
    if (role !== 'server') return { module: AppModule, imports: core };
    return {
      module: AppModule,
      imports: [
        ...core,
        ThrottlerModule.forRootAsync({
          inject: [REDIS_CLIENT],
          useFactory: (redis: Redis | null) => ({
            throttlers: [{ name: 'default', ttl: config.rateLimit.windowMs, limit: config.rateLimit.max }],
            storage: redis ? new RedisThrottlerStorage(redis, config.redis.prefix) : undefined,
          }),
        }),
        ApiModule,
      ],
      controllers: [MetricsController],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MetricsMiddleware).forRoutes('*path');
  }
}
