import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Buttons stay pressable for a week; a digest's buttons are rarely pressed later than that. */
const KEEP_SECONDS = 7 * 24 * 60 * 60;
const MEMORY_LIMIT = 10_000;

/**
 * Platforms limit what a button carries (Telegram callback_data 64 bytes, Discord custom_id 100
 * characters), while a button's value is a whole command ("#15 create_invoice client=..."). The value
 * is kept here under a short random id, which goes into the button. Redis in server mode (any app
 * process may receive the press), memory otherwise.
 */
export class ButtonStore {
  private readonly memory = new Map<string, { value: string; until: number }>();

  constructor(
    private readonly redis: Redis | null,
    private readonly prefix: string,
    private readonly platform: string,
  ) {}

  /** Keeps `value` and returns the short data that stands for it (14 characters). */
  async put(value: string): Promise<string> {
    const id = randomBytes(9).toString('base64url');
    if (this.redis) await this.redis.set(this.key(id), value, 'EX', KEEP_SECONDS);
    else {
      if (this.memory.size >= MEMORY_LIMIT) this.evict();
      this.memory.set(id, { value, until: Date.now() + KEEP_SECONDS * 1000 });
    }
    return `b:${id}`;
  }

  /** The value behind the button's data, or undefined when unknown or expired. */
  async get(data: string): Promise<string | undefined> {
    if (!data.startsWith('b:')) return undefined;
    const id = data.slice(2);
    if (this.redis) return (await this.redis.get(this.key(id))) ?? undefined;
    const hit = this.memory.get(id);
    return hit && hit.until > Date.now() ? hit.value : undefined;
  }

  private key(id: string): string {
    return `${this.prefix}:${this.platform}:button:${id}`;
  }

  private evict(): void {
    const now = Date.now();
    for (const [id, v] of this.memory) if (v.until <= now) this.memory.delete(id);
    // Still full: drop the oldest tenth (a Map keeps insertion order).
    let n = this.memory.size >= MEMORY_LIMIT ? Math.ceil(MEMORY_LIMIT / 10) : 0;
    for (const id of this.memory.keys()) {
      if (n-- <= 0) break;
      this.memory.delete(id);
    }
  }
}
