import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { PaiosConfig } from '../../config/config.schema.js';
import { BullmqJobQueue, PAIOS_QUEUE } from './bullmq-job-queue.js';
import { BullmqJobProcessor } from './bullmq-job.processor.js';
import { EmbeddedJobQueue } from './embedded-job-queue.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { JobQueue, type JobObserver } from './job-queue.port.js';
import { JOB_OBSERVER, NOOP_JOB_OBSERVER } from './jobs.tokens.js';
import { JobsLifecycle } from './jobs.lifecycle.js';
import { ScheduleLedger } from './schedule-ledger.js';

export interface JobsModuleOptions {
  /** Consume jobs in this process. */
  processJobs: boolean;
}

/**
 * Provides the JobQueue port: BullMQ when REDIS_URL is set, the database-backed runner otherwise.
 * Expects a TypeORM DataSource to be available (DatabaseModule).
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: PaiosConfig, options: JobsModuleOptions): DynamicModule {
    const common: Provider[] = [JobHandlerRegistry, JobsLifecycle];

    if (config.redis.url) {
      return {
        module: JobsModule,
        imports: [
          DiscoveryModule,
          BullModule.forRoot({
            connection: { url: config.redis.url, maxRetriesPerRequest: null },
            prefix: config.redis.prefix,
          }),
          BullModule.registerQueue({ name: PAIOS_QUEUE }),
        ],
        providers: [
          ...common,
          {
            // Optional so that a queue-only process (tests) runs without a database; paios has one.
            provide: ScheduleLedger,
            useFactory: (ds?: DataSource) => (ds ? new ScheduleLedger(ds) : undefined),
            inject: [{ token: DataSource, optional: true }],
          },
          {
            provide: JobQueue,
            useFactory: (queue: Queue, ledger?: ScheduleLedger) => new BullmqJobQueue(queue, ledger),
            inject: [getQueueToken(PAIOS_QUEUE), { token: ScheduleLedger, optional: true }],
          },
          ...(options.processJobs ? [BullmqJobProcessor] : []),
        ],
        exports: [JobQueue, JobHandlerRegistry],
      };
    }

    return {
      module: JobsModule,
      imports: [DiscoveryModule],
      providers: [
        ...common,
        {
          provide: JobQueue,
          useFactory: (ds: DataSource, registry: JobHandlerRegistry, o?: JobObserver) =>
            new EmbeddedJobQueue(ds, registry, {
              process: options.processJobs,
              concurrency: config.jobs.concurrency,
              pollIntervalMs: config.jobs.pollIntervalMs,
              shutdownTimeoutMs: config.shutdownTimeoutMs,
              observer: o ?? NOOP_JOB_OBSERVER,
            }),
          inject: [DataSource, JobHandlerRegistry, { token: JOB_OBSERVER, optional: true }],
        },
      ],
      exports: [JobQueue, JobHandlerRegistry],
    };
  }
}
