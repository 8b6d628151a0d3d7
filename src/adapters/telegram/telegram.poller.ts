import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Bot } from 'grammy';
import type { KeyValueStore } from '../../orchestrator/kv/key-value-store.port.js';
import { scrub } from '../core/adapter-hub.js';

const LOCK_TTL_MS = 30_000;
const RENEW_EVERY_MS = 10_000;
/** After a failed polling run (409 from another poller, 401), wait this long before the next try. */
const RESTART_DELAY_MS = 15_000;

/**
 * Long polling, by one process only. Telegram answers 409 Conflict when two clients call getUpdates
 * for the same bot, so when the KeyValueStore is shared (server mode, several app processes) the poller
 * first takes a lock (set-if-absent with a time to live, renewed while polling); the others stay idle
 * and take over within a lock period if the holder dies. Embedded mode has one process: it just polls.
 */
export class TelegramPoller {
  private readonly logger = new Logger('TelegramPoller');
  private readonly owner = randomUUID();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private polling = false;
  private ticking = false;

  constructor(
    private readonly bot: Bot,
    private readonly kv: KeyValueStore,
    private readonly lockKey: string,
    private readonly secrets: string[],
  ) {}

  /** True while this process is the one calling getUpdates. */
  get active(): boolean {
    return this.polling;
  }

  begin(): void {
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.bot.isRunning()) await this.bot.stop().catch(() => undefined);
    this.polling = false;
    if (this.kv.shared) await this.kv.deleteIfEquals(this.lockKey, this.owner).catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    try {
      if (!this.kv.shared) {
        if (!this.polling) this.run();
        return;
      }
      if (this.polling) {
        const renewed = await this.kv.extendIfEquals(this.lockKey, this.owner, LOCK_TTL_MS);
        if (!renewed) {
          this.logger.warn('lost the Telegram polling lock; another process polls now');
          await this.bot.stop().catch(() => undefined);
          this.polling = false;
        }
      } else {
        if (await this.kv.setIfAbsent(this.lockKey, this.owner, LOCK_TTL_MS)) this.run();
      }
    } catch (err) {
      this.logger.warn(`polling lock: ${scrub(err instanceof Error ? err.message : String(err), this.secrets)}`);
    } finally {
      this.ticking = false;
      if (this.kv.shared) this.schedule(RENEW_EVERY_MS);
    }
  }

  /** Starts grammY's polling loop; it resolves when stopped and rejects on 401/409. */
  private run(): void {
    this.polling = true;
    this.logger.log('polling Telegram for updates');
    this.bot
      .start({ drop_pending_updates: false, allowed_updates: ['message', 'callback_query'] })
      .catch((err: unknown) => {
        if (this.stopped) return;
        this.logger.warn(
          `Telegram polling stopped: ${scrub(err instanceof Error ? err.message : String(err), this.secrets)}`,
        );
      })
      .finally(() => {
        if (this.stopped || !this.polling) return;
        this.polling = false;
        // Give the lock back so a healthy process can take over, then try again later.
        if (this.kv.shared) void this.kv.deleteIfEquals(this.lockKey, this.owner).catch(() => undefined);
        else this.schedule(RESTART_DELAY_MS);
      });
  }
}
