import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { KeyValueStore } from '../kv/key-value-store.port.js';

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
 * `agent:<agentId>:<hash of the command>`, kept in the KeyValueStore: Redis in server mode (under
 * REDIS_PREFIX), process memory in embedded mode.
 */
@Injectable()
export class ResultCache {
  constructor(private readonly kv: KeyValueStore) {}

  key(agentId: string, tool: string, parameters: Record<string, unknown>): string {
    const hash = createHash('sha256')
      .update(`${tool}:${canonical(parameters)}`)
      .digest('hex')
      .slice(0, 32);
    return `agent:${agentId}:${hash}`;
  }

  async get<T>(key: string): Promise<T | null> {
    const raw = await this.kv.get(key);
    return raw ? (JSON.parse(raw) as T) : null;
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    // An outside MCP server's _meta may say 0 or less: nothing to keep, rather than a failed call.
    if (!(ttlSeconds > 0)) return;
    await this.kv.set(key, JSON.stringify(value), ttlSeconds * 1000);
  }
}
