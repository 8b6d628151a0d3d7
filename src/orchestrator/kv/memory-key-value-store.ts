import type { Clock } from '../../common/clock.js';
import { KeyValueStore } from './key-value-store.port.js';
import { wholeMs } from './ttl.js';

interface Entry {
  value: string;
  /** Epoch ms (by the injected clock) at which the entry is gone. */
  until: number;
}

/** Expired entries are swept every this many writes, so a quiet store does not hold dead values long. */
const SWEEP_EVERY_WRITES = 1_000;

/**
 * Embedded mode's store: one process, so a Map. Time comes from the injected Clock, so tests can move
 * past a time to live. Bounded: at `maxEntries`, expired entries go first, then the oldest tenth.
 */
export class MemoryKeyValueStore extends KeyValueStore {
  readonly shared = false;
  private readonly entries = new Map<string, Entry>();
  private writes = 0;

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 100_000,
  ) {
    super();
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.put(key, value, wholeMs(ttlMs));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ms = wholeMs(ttlMs);
    if (this.live(key)) return false;
    this.put(key, value, ms);
    return true;
  }

  async take(key: string): Promise<string | undefined> {
    const hit = this.live(key);
    this.entries.delete(key);
    return hit?.value;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
    const ms = wholeMs(windowMs);
    const hit = this.live(key);
    if (!hit) {
      this.put(key, '1', ms);
      return { count: 1, ttlMs: ms };
    }
    const count = Number(hit.value) + 1;
    if (!Number.isSafeInteger(count)) throw new TypeError(`the value at ${key} is not a counter`);
    hit.value = String(count);
    return { count, ttlMs: hit.until - this.now() };
  }

  async extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ms = wholeMs(ttlMs);
    const hit = this.live(key);
    if (hit?.value !== value) return false;
    hit.until = this.now() + ms;
    return true;
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    if (this.live(key)?.value !== value) return false;
    this.entries.delete(key);
    return true;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  /** The entry if it has not expired; an expired one is dropped on the way. */
  private live(key: string): Entry | undefined {
    const hit = this.entries.get(key);
    if (hit && hit.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit;
  }

  private put(key: string, value: string, ttlMs: number): void {
    const now = this.now();
    if (++this.writes % SWEEP_EVERY_WRITES === 0) this.sweep(now);
    // Re-inserted, so the Map's order stays oldest write first.
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.evict(now);
    this.entries.set(key, { value, until: now + ttlMs });
  }

  private sweep(now: number): void {
    for (const [k, e] of this.entries) if (e.until <= now) this.entries.delete(k);
  }

  private evict(now: number): void {
    this.sweep(now);
    if (this.entries.size < this.maxEntries) return;
    let n = Math.ceil(this.maxEntries / 10);
    for (const k of this.entries.keys()) {
      if (n-- <= 0) break;
      this.entries.delete(k);
    }
  }
}
