import { Global, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Clock } from '../../common/clock.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { REDIS_CLIENT } from '../../database/redis.module.js';
import { KeyValueStore } from './key-value-store.port.js';
import { MemoryKeyValueStore } from './memory-key-value-store.js';
import { RedisKeyValueStore } from './redis-key-value-store.js';

/**
 * Provides the KeyValueStore port everywhere: Redis (the shared connection, keys under REDIS_PREFIX)
 * when REDIS_URL is set, process memory read by the injected clock otherwise.
 */
@Global()
@Module({
  providers: [
    {
      provide: KeyValueStore,
      useFactory: (redis: Redis | null, config: PaiosConfig, clock: Clock): KeyValueStore =>
        redis ? new RedisKeyValueStore(redis, `${config.redis.prefix}:`) : new MemoryKeyValueStore(clock),
      inject: [REDIS_CLIENT, PAIOS_CONFIG, Clock],
    },
  ],
  exports: [KeyValueStore],
})
export class KeyValueModule {}
