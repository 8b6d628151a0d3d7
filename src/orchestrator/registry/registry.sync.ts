import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { REDIS_CLIENT } from '../../database/redis.module.js';
import { AgentRegistry } from './agent-registry.js';
import { ModificationStore } from './modification.store.js';

interface RegistryNotice {
  origin: string;
  modificationId: string;
}

/**
 * Server mode: keeps the agent registries of every paios process (apps and workers) alike. A change
 * journaled here is announced on Redis; the others read it from the journal and hot-swap the same
 * way. Embedded mode has one process and needs none of this.
 */
@Injectable()
export class RegistrySync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RegistrySync');
  private readonly origin = randomUUID();
  private subscriber?: Redis;
  private off?: () => void;

  constructor(
    private readonly registry: AgentRegistry,
    private readonly journal: ModificationStore,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  private get channel(): string {
    return `${this.config.redis.prefix}:registry`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const redis = this.redis;
    if (!redis) return;
    this.subscriber = redis.duplicate();
    this.subscriber.on('message', (_channel: string, raw: string) => void this.received(raw));
    await this.subscriber.subscribe(this.channel);
    this.off = this.registry.onJournaled((mod) => {
      const notice: RegistryNotice = { origin: this.origin, modificationId: mod.id };
      redis
        .publish(this.channel, JSON.stringify(notice))
        .catch((err: Error) => this.logger.warn(`could not announce ${mod.id}: ${err.message}`));
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.off?.();
    await this.subscriber?.quit().catch(() => undefined);
  }

  private async received(raw: string): Promise<void> {
    try {
      const notice = JSON.parse(raw) as RegistryNotice;
      if (notice.origin === this.origin) return;
      const mod = await this.journal.get(notice.modificationId);
      if (!mod?.after) return;
      await this.registry.applyRemote(mod.after);
    } catch (err) {
      this.logger.error(`could not follow a registry change from another process: ${(err as Error).message}`);
    }
  }
}
