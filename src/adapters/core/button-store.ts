import { randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../../orchestrator/kv/key-value-store.port.js';

/** Buttons stay pressable for a week; a digest's buttons are rarely pressed later than that. */
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Platforms limit what a button carries (Telegram callback_data 64 bytes, Discord custom_id 100
 * characters), while a button's value is a whole command ("#15 create_invoice client=..."). The value
 * is kept here under a short random id, which goes into the button. Kept in the KeyValueStore: Redis in
 * server mode (any app process may receive the press), memory otherwise.
 */
export class ButtonStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly platform: string,
  ) {}

  /** Keeps `value` and returns the short data that stands for it (14 characters). */
  async put(value: string): Promise<string> {
    const id = randomBytes(9).toString('base64url');
    await this.kv.set(this.key(id), value, KEEP_MS);
    return `b:${id}`;
  }

  /** The value behind the button's data, or undefined when unknown or expired. */
  async get(data: string): Promise<string | undefined> {
    if (!data.startsWith('b:')) return undefined;
    return this.kv.get(this.key(data.slice(2)));
  }

  private key(id: string): string {
    return `${this.platform}:button:${id}`;
  }
}
