import type { Redis } from 'ioredis';
import { KeyValueStore } from './key-value-store.port.js';
import { wholeMs } from './ttl.js';

/** One hit in a fixed window: the first hit (or a key that lost its expiry) starts the window. */
const INCREMENT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { n, ttl }`;
const EXTEND_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const DELETE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Server mode's store: the process's shared Redis connection, every key under `prefix` (REDIS_PREFIX
 * and a colon), so several paios installations can share one Redis. Compound steps run as one script.
 */
export class RedisKeyValueStore extends KeyValueStore {
  readonly shared = true;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', wholeMs(ttlMs));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, value, 'PX', wholeMs(ttlMs), 'NX')) === 'OK';
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.prefix + key)) ?? undefined;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
    const [count, ttlMs] = (await this.redis.eval(INCREMENT, 1, this.prefix + key, wholeMs(windowMs))) as [
      number,
      number,
    ];
    return { count, ttlMs };
  }

  async extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(EXTEND_IF_EQUALS, 1, this.prefix + key, value, wholeMs(ttlMs))) === 1;
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    return (await this.redis.eval(DELETE_IF_EQUALS, 1, this.prefix + key, value)) === 1;
  }
}
