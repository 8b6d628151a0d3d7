import { Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../common/errors.js';
import type { AdapterState, AdapterStatus, ChatAdapter, ChatAddress, Platform, Reply } from '../chat.contract.js';

/**
 * The adapters this process runs, by platform: health reads their state, and jobs (digests,
 * follow-ups) send through them from any process, a worker included.
 */
@Injectable()
export class AdapterHub {
  private readonly adapters = new Map<Platform, ChatAdapter>();

  register(adapter: ChatAdapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  get(platform: Platform): ChatAdapter | undefined {
    return this.adapters.get(platform);
  }

  statuses(): AdapterStatus[] {
    return [...this.adapters.values()].map((a) => a.status());
  }

  async send(address: ChatAddress, reply: Reply): Promise<void> {
    const adapter = this.adapters.get(address.platform);
    if (!adapter) throw new DomainError(ErrorCode.Invalid, `${address.platform} is not configured in this paios`);
    await adapter.send(address, reply);
  }
}

/**
 * Starts a platform connection in the background and keeps trying with backoff (1 s doubling to
 * 5 min) while the platform cannot be reached, so one unreachable platform never stops paios.
 */
export class BackgroundStarter {
  state: AdapterState = 'starting';
  lastError?: string;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private attempt = 0;

  constructor(
    private readonly name: string,
    private readonly start: () => Promise<void>,
    /** Tokens that must never appear in a logged error (Telegram puts the token in its URLs). */
    private readonly secrets: readonly (string | undefined)[] = [],
    private readonly logger = new Logger(name),
    private readonly maxDelayMs = 5 * 60_000,
  ) {}

  begin(): void {
    void this.tryOnce();
  }

  stop(): void {
    this.stopped = true;
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
  }

  private async tryOnce(): Promise<void> {
    if (this.stopped) return;
    this.attempt += 1;
    try {
      await this.start();
      if (this.stopped) return;
      this.state = 'ready';
      this.lastError = undefined;
      if (this.attempt > 1) this.logger.log(`${this.name} connected after ${this.attempt} attempts`);
    } catch (err) {
      if (this.stopped) return;
      this.state = 'retrying';
      this.lastError = scrub(err instanceof Error ? err.message : String(err), this.secrets);
      const delay = Math.min(this.maxDelayMs, 1000 * 2 ** Math.min(this.attempt - 1, 20));
      this.logger.warn(`${this.name} could not start (${this.lastError}); retrying in ${Math.round(delay / 1000)} s`);
      this.timer = setTimeout(() => void this.tryOnce(), delay);
      this.timer.unref();
    }
  }
}

/** Replaces every occurrence of each secret with "***". */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join('***');
  return out;
}
