/**
 * Paces outbound messages per channel: one at a time, at least `intervalMs` apart, in order. Platforms
 * throttle per chat (Telegram about one message a second per chat, Slack one a second per channel,
 * Discord five per five seconds); pacing keeps a burst (a long answer split into parts, a digest with
 * a chart) inside those limits instead of collecting 429s. The SDKs still retry any 429 they get.
 */
export class ChannelPacer {
  private readonly tails = new Map<string, { done: Promise<unknown>; nextAt: number }>();

  constructor(private readonly intervalMs: number) {}

  run<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(channel);
    const entry = { done: Promise.resolve() as Promise<unknown>, nextAt: 0 };
    const result = (async () => {
      if (prev) await prev.done.catch(() => undefined);
      const wait = (prev?.nextAt ?? 0) - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        return await send();
      } finally {
        entry.nextAt = Date.now() + this.intervalMs;
      }
    })();
    entry.done = result;
    this.tails.set(channel, entry);
    void result
      .finally(() => {
        // Forget idle channels once their pause has passed, so the map does not grow forever.
        setTimeout(() => {
          if (this.tails.get(channel) === entry) this.tails.delete(channel);
        }, this.intervalMs).unref();
      })
      .catch(() => undefined);
    return result;
  }
}
