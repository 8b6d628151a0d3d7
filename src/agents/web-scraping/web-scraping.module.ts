import { Module } from '@nestjs/common';
import { WatchRepository } from './watch.repository.js';
import { WebScrapingAgent } from './web-scraping.agent.js';

/** Agent #7 and its watched pages; each watch schedules its own job when it is set up. */
@Module({ providers: [WatchRepository, WebScrapingAgent] })
export class WebScrapingModule {}
