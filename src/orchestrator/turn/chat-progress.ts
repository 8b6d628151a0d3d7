import type { Clock } from '../../common/clock.js';

/**
 * How a long tool call is going, told in the chat that asked ("reading 6 sources…"): at most one
 * message every `gapMs` and `max` in a turn, so a chatty tool cannot flood the chat; sent in order,
 * and all of them before the answer (`settle`). A message that cannot be sent is dropped: progress
 * never fails a turn.
 */
export class ChatProgress {
  private lastAt = Number.NEGATIVE_INFINITY;
  private sent = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly send: (text: string) => Promise<void>,
    private readonly clock: Clock,
    private readonly gapMs = 2000,
    private readonly max = 4,
  ) {}

  readonly say = (text: string): void => {
    const now = this.clock.now().getTime();
    if (!text.trim() || this.sent >= this.max || now - this.lastAt < this.gapMs) return;
    this.lastAt = now;
    this.sent += 1;
    this.queue = this.queue.then(() => this.send(text)).catch(() => undefined);
  };

  /** Resolves once every message said so far has gone out (or failed to). */
  settle(): Promise<void> {
    return this.queue;
  }
}
