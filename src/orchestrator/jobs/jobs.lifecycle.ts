import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { withTimeout } from '../../common/with-timeout.js';
import { BullmqJobProcessor } from './bullmq-job.processor.js';
import { EmbeddedJobQueue } from './embedded-job-queue.js';
import { JobHandlerRegistry, ON_JOB } from './job-handler.registry.js';
import { JobQueue, type JobHandler } from './job-queue.port.js';

/**
 * Wires handlers and drivers to the Nest lifecycle: collects `@OnJob` methods at init, starts the
 * embedded runner once the app is up, and drains workers before the database closes.
 */
@Injectable()
export class JobsLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly registry: JobHandlerRegistry,
    private readonly queue: JobQueue,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    @Optional() private readonly processor?: BullmqJobProcessor,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isNotMetatype) continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const name = this.reflector.get<string | undefined>(ON_JOB, fn as () => unknown);
        if (name) this.registry.register(name, (fn as JobHandler).bind(instance));
      }
    }
    this.logger.log(`driver ${this.queue.driver}; handlers: ${this.registry.names().join(', ') || 'none'}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.queue instanceof EmbeddedJobQueue) await this.queue.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.processor) {
      const closed = await withTimeout(
        this.processor.worker.close().then(() => true),
        this.config.shutdownTimeoutMs,
        false,
      );
      if (!closed) {
        this.logger.warn('jobs still running at shutdown; BullMQ will hand them to another worker');
        await this.processor.worker.close(true);
      }
    }
    await this.queue.close();
  }
}
