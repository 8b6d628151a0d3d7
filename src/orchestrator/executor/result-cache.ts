import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '../../database/redis.module.js';

/** Stable JSON: object keys sorted, so equal parameters hash equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Results of tools marked cacheable, under the seed's CacheManager key scheme
 * `agent:<agentId>:<hash of the command>`: Redis in server mode, process memory in embedded mode.
 */
@Injectable()
export class ResultCache {
  private readonly local = new Map<string, { value: string; expires: number }>();

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  key(agentId: string, tool: string, parameters: Record<string, unknown>): string {
    const hash = createHash('sha256')
      .update(`${tool}:${canonical(parameters)}`)
      .digest('hex')
      .slice(0, 32);
    return `agent:${agentId}:${hash}`;
  }

  async get<T>(key: string): Promise<T | null> {
    if (this.redis) {
      const raw = await this.redis.get(key);
      return raw ? (JSON.parse(raw) as T) : null;
    }
    const hit = this.local.get(key);
    if (!hit) return null;
    if (hit.expires <= Date.now()) {
      this.local.delete(key);
      return null;
    }
    return JSON.parse(hit.value) as T;
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    const raw = JSON.stringify(value);
    if (this.redis) {
      await this.redis.setex(key, ttlSeconds, raw);
      return;
    }
    if (this.local.size > 10_000) this.local.clear(); // crude bound; embedded mode serves one person
    this.local.set(key, { value: raw, expires: Date.now() + ttlSeconds * 1000 });
  }
}
