import type { Logger } from '@nestjs/common';
import type { BackgroundStarter } from './adapter-hub.js';

/** How long stop waits for the inbound connection to close (a socket that will not say goodbye). */
const CLOSE_MS = 3000;
/** How long stop waits for messages still being answered. */
const DRAIN_MS = 10_000;

/**
 * The inbound work an adapter has handed on (messages being answered in the background, after the
 * platform got its acknowledgement), so that shutdown can let it finish instead of cutting answers off.
 */
export class InFlight {
  private readonly work = new Set<Promise<unknown>>();

  /** `describe` turns a failure into a log line (scrubbed of tokens by the adapter). */
  constructor(
    private readonly logger: Logger,
    private readonly describe: (err: unknown) => string,
  ) {}

  track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => this.logger.error(this.describe(err)));
    this.work.add(p);
    void p.finally(() => this.work.delete(p));
  }

  /** Resolves when everything tracked so far has settled, or after `ms`. */
  async drain(ms = DRAIN_MS): Promise<void> {
    const settled = Promise.allSettled([...this.work]);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
  }
}

/**
 * One shutdown for every adapter: stop (re)connecting, close the inbound side (socket, gateway,
 * polling) so nothing new arrives, then wait a bounded time for answers still being written.
 * Outbound clients stay usable throughout, so those answers can still be sent.
 */
export async function shutdownAdapter(parts: {
  starter?: BackgroundStarter;
  closeInbound?: () => Promise<unknown>;
  inFlight: InFlight;
}): Promise<void> {
  parts.starter?.stop();
  if (parts.closeInbound) {
    const closing = parts.closeInbound().catch(() => undefined);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, CLOSE_MS).unref())]);
  }
  await parts.inFlight.drain();
}
