import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { FixedClock } from '../../src/common/clock.js';
import { ConfigModule } from '../../src/config/config.module.js';
import { RedisModule } from '../../src/database/redis.module.js';
import { KeyValueStore } from '../../src/orchestrator/kv/key-value-store.port.js';
import { KeyValueModule } from '../../src/orchestrator/kv/key-value.module.js';
import { MemoryKeyValueStore } from '../../src/orchestrator/kv/memory-key-value-store.js';
import { RedisKeyValueStore } from '../../src/orchestrator/kv/redis-key-value-store.js';
import { testConfig } from '../support/config.js';
import { redisAvailable, REDIS_TEST_URL } from '../support/services.js';

const redisUp = await redisAvailable();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Subject {
  store: KeyValueStore;
  /** Lets `ms` pass for the store: the injected clock moves, or real time passes for Redis. */
  elapse(ms: number): Promise<void>;
}

/** One set of behaviours every KeyValueStore keeps, run against each implementation. */
function contract(name: string, open: () => Promise<Subject & { close(): Promise<void> }>, enabled = true) {
  (enabled ? describe : describe.skip)(`KeyValueStore contract: ${name}`, () => {
    let s: Subject & { close(): Promise<void> };
    // A fresh key per test, so tests never see each other's entries.
    const key = (label: string) => `contract:${label}:${randomUUID()}`;
    // Short enough to wait out on real Redis, long enough that nothing expires while a step runs.
    const TTL = 300;

    beforeAll(async () => {
      s = await open();
    });
    afterAll(async () => s?.close());

    it('reads back what was set, and nothing for a key never set', async () => {
      const k = key('set');
      expect(await s.store.get(k)).toBeUndefined();
      await s.store.set(k, 'first', 60_000);
      expect(await s.store.get(k)).toBe('first');
      await s.store.set(k, 'second', 60_000);
      expect(await s.store.get(k)).toBe('second');
    });

    it('forgets a value once its time to live has passed', async () => {
      const k = key('ttl');
      await s.store.set(k, 'v', TTL);
      await s.elapse(TTL + 50);
      expect(await s.store.get(k)).toBeUndefined();
    });

    it('set replaces the time to live as well as the value', async () => {
      const k = key('reset');
      await s.store.set(k, 'short', TTL);
      await s.store.set(k, 'long', 60_000);
      await s.elapse(TTL + 50);
      expect(await s.store.get(k)).toBe('long');
    });

    it('setIfAbsent lets exactly one of many callers in, and again once the entry expired', async () => {
      const k = key('nx');
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.store.setIfAbsent(k, `c${i}`, TTL)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await s.store.get(k)).toBe(`c${results.indexOf(true)}`);
      await s.elapse(TTL + 50);
      expect(await s.store.setIfAbsent(k, 'later', TTL)).toBe(true);
      expect(await s.store.get(k)).toBe('later');
    });

    it('take hands the value to one caller only and removes it', async () => {
      const k = key('take');
      await s.store.set(k, 'once', 60_000);
      const taken = await Promise.all([s.store.take(k), s.store.take(k), s.store.take(k)]);
      expect(taken.filter((t) => t !== undefined)).toEqual(['once']);
      expect(await s.store.get(k)).toBeUndefined();
      expect(await s.store.take(key('never'))).toBeUndefined();
    });

    it('take of an expired entry gives nothing', async () => {
      const k = key('take-expired');
      await s.store.set(k, 'v', TTL);
      await s.elapse(TTL + 50);
      expect(await s.store.take(k)).toBeUndefined();
    });

    it('delete removes a value', async () => {
      const k = key('del');
      await s.store.set(k, 'v', 60_000);
      await s.store.delete(k);
      await s.store.delete(k);
      expect(await s.store.get(k)).toBeUndefined();
    });

    it('increment counts hits in a fixed window that the first hit starts', async () => {
      const k = key('count');
      const first = await s.store.increment(k, 60_000);
      expect(first.count).toBe(1);
      expect(first.ttlMs).toBeGreaterThan(0);
      expect(first.ttlMs).toBeLessThanOrEqual(60_000);
      const counts = await Promise.all(Array.from({ length: 5 }, () => s.store.increment(k, 60_000)));
      expect(counts.map((c) => c.count).sort()).toEqual([2, 3, 4, 5, 6]);
      // Later hits count into the same window rather than extending it.
      for (const c of counts) expect(c.ttlMs).toBeLessThanOrEqual(first.ttlMs);
    });

    it('increment starts over once the window has passed', async () => {
      const k = key('window');
      await s.store.increment(k, TTL);
      await s.store.increment(k, TTL);
      await s.elapse(TTL + 50);
      expect((await s.store.increment(k, TTL)).count).toBe(1);
    });

    it('extendIfEquals renews only the holder of a key', async () => {
      const k = key('lock');
      expect(await s.store.setIfAbsent(k, 'me', TTL)).toBe(true);
      expect(await s.store.extendIfEquals(k, 'someone else', 60_000)).toBe(false);
      expect(await s.store.extendIfEquals(k, 'me', 60_000)).toBe(true);
      await s.elapse(TTL + 50);
      expect(await s.store.get(k)).toBe('me');
      expect(await s.store.extendIfEquals(key('gone'), 'me', 60_000)).toBe(false);
    });

    it('deleteIfEquals releases only the holder of a key', async () => {
      const k = key('release');
      await s.store.set(k, 'me', 60_000);
      expect(await s.store.deleteIfEquals(k, 'someone else')).toBe(false);
      expect(await s.store.get(k)).toBe('me');
      expect(await s.store.deleteIfEquals(k, 'me')).toBe(true);
      expect(await s.store.get(k)).toBeUndefined();
      expect(await s.store.deleteIfEquals(k, 'me')).toBe(false);
    });

    it('refuses a write without a positive time to live', async () => {
      await expect(s.store.set(key('zero'), 'v', 0)).rejects.toThrow(RangeError);
      await expect(s.store.setIfAbsent(key('neg'), 'v', -5)).rejects.toThrow(RangeError);
      await expect(s.store.increment(key('nan'), Number.NaN)).rejects.toThrow(RangeError);
    });
  });
}

contract('memory, on an injected clock', async () => {
  const clock = new FixedClock('2026-05-01T09:00:00Z');
  return {
    store: new MemoryKeyValueStore(clock),
    elapse: async (ms) => clock.advance(ms),
    close: async () => undefined,
  };
});

contract(
  'Redis at 127.0.0.1:6379',
  async () => {
    const redis = new Redis(REDIS_TEST_URL);
    const prefix = `paios-kv-${randomUUID().slice(0, 8)}:`;
    return {
      store: new RedisKeyValueStore(redis, prefix),
      elapse: sleep,
      close: async () => {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
        await redis.quit();
      },
    };
  },
  redisUp,
);

describe('KeyValueModule picks the store by mode', () => {
  const build = async (env: Record<string, string>) => {
    const config = testConfig(env);
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), RedisModule.forRoot(config.redis.url), KeyValueModule],
    }).compile();
    return moduleRef.init();
  };

  it('keeps keys in process memory without REDIS_URL', async () => {
    const app = await build({});
    const store = app.get(KeyValueStore);
    expect(store.shared).toBe(false);
    await store.set('k', 'v', 60_000);
    expect(await store.get('k')).toBe('v');
    await app.close();
  });

  (redisUp ? it : it.skip)('keeps keys in Redis under REDIS_PREFIX when REDIS_URL is set', async () => {
    const prefix = `paios-kvmod-${randomUUID().slice(0, 8)}`;
    const app = await build({ REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: prefix });
    const store = app.get(KeyValueStore);
    expect(store.shared).toBe(true);
    await store.set('chat:k', 'v', 60_000);
    const redis = new Redis(REDIS_TEST_URL);
    try {
      expect(await redis.get(`${prefix}:chat:k`)).toBe('v');
      expect(await redis.pttl(`${prefix}:chat:k`)).toBeGreaterThan(50_000);
      await redis.del(`${prefix}:chat:k`);
    } finally {
      await redis.quit();
      await app.close();
    }
  });
});
