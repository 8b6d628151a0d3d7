import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import type { EventOutbox } from '../../orchestrator/events/event-outbox.js';
import type { JobQueue } from '../../orchestrator/jobs/job-queue.port.js';
import type { UserNotifier } from '../../orchestrator/notifications/user-notifier.port.js';
import { OutboundRefusedError } from '../../orchestrator/outbound/outbound.errors.js';
import type { ChatPlace } from '../../sdk/agent.contract.js';
import { lineDiff } from './diff.js';
import { parseEvery } from './every.js';
import { parseHttpUrl } from './page-fetcher.js';
import type { ScrapeData, Scraper } from './scraper.js';
import { ScrapeError } from './scraping.errors.js';
import type { PageChange, PageWatch, WatchRepository } from './watch.repository.js';

export const WATCH_JOB = 'scraping.watch';
export const AGENT_NUMBER = 7;

declare module '../../orchestrator/jobs/job-queue.port.js' {
  interface JobPayloads {
    'scraping.watch': { watchId: string };
  }
}

export type CheckOutcome = 'changed' | 'unchanged' | 'stopped' | 'unreadable';

const scheduleId = (watchId: string) => `${WATCH_JOB}:${watchId}`;

/** What a watch compares: the selected elements' text, or the page's readable text. */
const contentOf = (page: ScrapeData) => (page.items ? page.items.map((i) => i.text).join('\n') : page.text);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Watched pages: a repeatable job per watch (through the job queue port) fetches the page, compares
 * the SHA-256 of its text with the last snapshot and, when it differs, stores the new snapshot and
 * emits `page.changed` in one transaction (the outbox), then tells the chat that asked, with a diff.
 */
export class PageWatcher {
  private readonly logger = new Logger('PageWatcher');

  constructor(
    private readonly repo: WatchRepository,
    private readonly scraper: Scraper,
    private readonly jobs: JobQueue,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
    private readonly notifier?: UserNotifier,
  ) {}

  async start(
    userId: string,
    w: { url: string; selector?: string; every?: string },
    chat?: ChatPlace,
    signal?: AbortSignal,
  ): Promise<{ watch: PageWatch; page: ScrapeData }> {
    const every = parseEvery(w.every);
    const url = parseHttpUrl(w.url).toString();
    // The first look is the baseline, and shows now (not an hour later) that the page can be read.
    const page = await this.scraper.scrape({ url, selector: w.selector }, signal);
    const watch = await this.repo.create(userId, {
      url,
      selector: w.selector,
      cron: every.cron,
      every: every.text,
      chat,
    });
    const content = contentOf(page);
    await this.outbox.transaction(this.origin(watch, 'baseline'), (tx) =>
      this.repo.addSnapshot(tx.manager, watch.id, sha256(content), content),
    );
    await this.jobs.schedule(scheduleId(watch.id), WATCH_JOB, { watchId: watch.id }, { cron: every.cron, attempts: 2 });
    return { watch, page };
  }

  list(userId: string): Promise<PageWatch[]> {
    return this.repo.active(userId);
  }

  /** The watches whose page changed in the last `days` days (by the clock), latest first. */
  recentChanges(userId: string, days: number): Promise<PageChange[]> {
    return this.repo.changedSince(userId, new Date(this.clock.now().getTime() - days * 86_400_000));
  }

  /** Stops the watches of `url` (or all of them when no URL is given); returns those stopped. */
  async stop(userId: string, url?: string): Promise<PageWatch[]> {
    const watches = await this.repo.active(userId);
    const wanted = url ? normalized(url) : undefined;
    const stopping = wanted ? watches.filter((w) => normalized(w.url) === wanted) : watches;
    for (const w of stopping) {
      await this.repo.stop(w.id);
      await this.jobs.unschedule(scheduleId(w.id));
    }
    return stopping;
  }

  /** One run of a watch (the job's handler): idempotent, so a retried or doubled run tells once. */
  async check(watchId: string): Promise<CheckOutcome> {
    const watch = await this.repo.get(watchId);
    if (!watch) {
      await this.jobs.unschedule(scheduleId(watchId));
      return 'stopped';
    }
    let page: ScrapeData;
    try {
      page = await this.scraper.scrape({ url: watch.url, selector: watch.selector ?? undefined });
    } catch (err) {
      // The site said no (robots.txt, 404) or the address is refused: the next run tries again.
      if (err instanceof ScrapeError || err instanceof OutboundRefusedError) {
        this.logger.warn(`watch ${watch.id}: ${err.message}`);
        return 'unreadable';
      }
      throw err;
    }
    const content = contentOf(page);
    const hash = sha256(content);
    const change = await this.outbox.transaction(this.origin(watch, hash), async (tx) => {
      // One run at a time per watch: the second waits here and then sees the first's snapshot.
      await tx.manager.query(`SELECT id FROM page_watches WHERE id = $1 FOR UPDATE`, [watch.id]);
      const last = await this.repo.lastSnapshot(watch.id, tx.manager);
      if (last?.hash === hash) return undefined;
      await this.repo.addSnapshot(tx.manager, watch.id, hash, content);
      const diff = lineDiff(last?.content ?? '', content);
      await this.repo.markChanged(tx.manager, watch.id, this.clock.now(), diff);
      await tx.emit('page.changed', {
        watchId: watch.id,
        url: page.url,
        title: page.title,
        selector: watch.selector,
        hash,
        previousHash: last?.hash ?? null,
        diff,
      });
      return diff;
    });
    if (change === undefined) return 'unchanged';
    const what = watch.selector ? `${watch.selector} on ${page.title || watch.url}` : page.title || watch.url;
    await this.notifier?.notify(watch.userId, {
      text: `**${what} changed**\n${watch.url}\n\n\`\`\`diff\n${change}\n\`\`\``,
      chat: watch.chat ?? undefined,
    });
    return 'changed';
  }

  private origin(watch: PageWatch, what: string) {
    return { userId: watch.userId, agentNumber: AGENT_NUMBER, requestId: `watch:${watch.id}:${what}` };
  }
}

function normalized(url: string): string {
  try {
    return parseHttpUrl(url).toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
