/**
 * The one key-value port for short-lived shared state: button payloads, event dedupe marks, rate-limit
 * windows, open secret prompts, cached tool results, polling locks. Redis in server mode (every app
 * and worker process sees the same keys), process memory in embedded mode. Every entry expires: there
 * is no write without a time to live, so neither store grows without bound.
 *
 * Keys are relative; the Redis store puts them under the configured REDIS_PREFIX. Values are strings
 * (callers JSON-encode what they keep).
 */
export abstract class KeyValueStore {
  /** True when other processes read and write the same keys (server mode); false for process memory. */
  abstract readonly shared: boolean;

  /** The value, or undefined when absent or expired. */
  abstract get(key: string): Promise<string | undefined>;

  /** Keeps `value` for `ttlMs`, replacing any value and time to live the key had. */
  abstract set(key: string, value: string, ttlMs: number): Promise<void>;

  /** Keeps `value` for `ttlMs` only if the key holds nothing (atomic: of two callers one wins). */
  abstract setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;

  /** The value, removed in the same step (atomic: of two callers only one gets it). */
  abstract take(key: string): Promise<string | undefined>;

  abstract delete(key: string): Promise<void>;

  /**
   * Counts one more hit in a fixed window: the first hit starts a window of `windowMs`, later hits
   * count into it until it ends. Returns the count so far and the milliseconds left in the window.
   */
  abstract increment(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }>;

  /** Restarts the key's time to live at `ttlMs` only if it still holds `value` (renewing a lock). */
  abstract extendIfEquals(key: string, value: string, ttlMs: number): Promise<boolean>;

  /** Deletes the key only if it still holds `value` (releasing a lock one holds). */
  abstract deleteIfEquals(key: string, value: string): Promise<boolean>;
}
