import { Inject, Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { z } from 'zod';
import { Clock } from '../../common/clock.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { EventOutbox } from '../../orchestrator/events/event-outbox.js';
import { OnJob } from '../../orchestrator/jobs/job-handler.registry.js';
import { JobQueue } from '../../orchestrator/jobs/job-queue.port.js';
import { USER_NOTIFIER, type UserNotifier } from '../../orchestrator/notifications/user-notifier.port.js';
import { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';
import { defineAgent, type AgentDefinition } from '../../sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../sdk/builtin-agent.decorator.js';
import { VaultService } from '../../vault/vault.service.js';
import { DEFAULT_FETCHER_OPTIONS, PageFetcher } from './page-fetcher.js';
import { PageRenderer } from './page-renderer.js';
import { AGENT_NUMBER, PageWatcher, WATCH_JOB, type CheckOutcome } from './page-watcher.js';
import { Scraper } from './scraper.js';
import { apifyTools } from './tools/apify.tools.js';
import { scrapeTools } from './tools/scrape.tools.js';
import { watchTools } from './tools/watch.tools.js';
import { WatchRepository } from './watch.repository.js';

/**
 * Agent #7, Web Scraping: pages read (text, tables, selectors, links, metadata; rendered in headless
 * Chromium when they need JavaScript), sites crawled, pages watched for changes, Apify Actors run.
 * Every request goes through the OutboundClient and robots.txt, paced per host.
 */
@BuiltinAgent()
@Injectable()
export class WebScrapingAgent implements AgentProvider, OnModuleDestroy {
  private readonly def: AgentDefinition;
  private readonly renderer: PageRenderer;
  readonly watcher: PageWatcher;
  readonly scraper: Scraper;

  constructor(
    repo: WatchRepository,
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
    outbound: OutboundClient,
    jobs: JobQueue,
    outbox: EventOutbox,
    clock: Clock,
    @Optional() @Inject(USER_NOTIFIER) notifier?: UserNotifier,
    @Optional() vault?: VaultService,
  ) {
    const fetcher = new PageFetcher(outbound, DEFAULT_FETCHER_OPTIONS);
    this.renderer = new PageRenderer(fetcher, config.diagrams.chromiumPath, 30_000);
    this.scraper = new Scraper(fetcher, this.renderer);
    this.watcher = new PageWatcher(repo, this.scraper, jobs, outbox, clock, notifier);
    this.def = defineAgent({
      manifest: {
        number: AGENT_NUMBER,
        name: 'web-scraping',
        description: 'Reads web pages and sites: text, tables, links, metadata; watches pages for changes',
        version: '0.1.0',
        configSchema: z.object({}),
        secrets: ['APIFY_TOKEN'],
        events: ['page.changed'],
      },
      tools: [
        ...scrapeTools(this.scraper),
        ...watchTools(this.watcher),
        ...apifyTools({ apiBase: config.apify.apiBase, vault, agentNumber: AGENT_NUMBER }),
      ],
    });
  }

  definition(): AgentDefinition {
    return this.def;
  }

  @OnJob(WATCH_JOB)
  async checkWatch(payload: { watchId: string }): Promise<CheckOutcome> {
    return this.watcher.check(payload.watchId);
  }

  async onModuleDestroy(): Promise<void> {
    await this.renderer.close();
  }
}
