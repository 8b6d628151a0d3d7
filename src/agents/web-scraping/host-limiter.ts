/**
 * Politeness per host: at most `concurrency` requests at once and at least `intervalMs` between the
 * starts of two requests to the same host, whoever asks (a crawl, a watch, another person's scrape).
 */
export class HostLimiter {
  private readonly hosts = new Map<string, { running: number; lastStart: number; queue: (() => void)[] }>();

  constructor(
    private readonly concurrency: number,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async run<T>(host: string, work: () => Promise<T>): Promise<T> {
    await this.acquire(host);
    try {
      return await work();
    } finally {
      this.release(host);
    }
  }

  private state(host: string) {
    let s = this.hosts.get(host);
    if (!s) this.hosts.set(host, (s = { running: 0, lastStart: 0, queue: [] }));
    return s;
  }

  private async acquire(host: string): Promise<void> {
    const s = this.state(host);
    if (s.running >= this.concurrency) await new Promise<void>((resolve) => s.queue.push(resolve));
    s.running++;
    const wait = s.lastStart + this.intervalMs - this.now();
    s.lastStart = Math.max(this.now(), s.lastStart + this.intervalMs);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private release(host: string): void {
    const s = this.state(host);
    s.running--;
    const next = s.queue.shift();
    if (next) next();
    else if (s.running === 0 && s.lastStart + this.intervalMs <= this.now()) this.hosts.delete(host);
  }
}
