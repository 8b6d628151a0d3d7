import pLimit from 'p-limit';
import type { ToolContext } from '../../sdk/agent.contract.js';
import type { Source } from './passages.js';

/** Agent #7, Web Scraping: it fetches and reads pages; this agent never fetches a page itself. */
export const SCRAPER_AGENT = 7;

/** What #7's `scrape` tool answers in `data`. */
interface ScrapedPage {
  url?: unknown;
  title?: unknown;
  text?: unknown;
}

export interface FetchedPages {
  sources: Source[];
  /** URLs that could not be read, with #7's reason. */
  failed: { url: string; reason: string }[];
}

/** Reads the pages through agent #7, three at a time, numbering the readable ones from `firstN`. */
export async function fetchPages(ctx: ToolContext, urls: string[], firstN = 1): Promise<FetchedPages> {
  const limit = pLimit(3);
  type Outcome = { url: string; reason: string } | { url: string; title: string; text: string };
  const results: Outcome[] = await Promise.all(
    urls.map((url) =>
      limit(async (): Promise<Outcome> => {
        try {
          const res = await ctx.callAgent(SCRAPER_AGENT, 'scrape', { url });
          const page = (res.data ?? {}) as ScrapedPage;
          if (!res.success || typeof page.text !== 'string' || !page.text.trim())
            return { url, reason: res.error ?? 'the page has no readable text' };
          return {
            url: typeof page.url === 'string' ? page.url : url,
            title: typeof page.title === 'string' ? page.title.trim() : '',
            text: page.text,
          };
        } catch (err) {
          return { url, reason: (err as Error).message };
        }
      }),
    ),
  );
  const sources: Source[] = [];
  const failed: FetchedPages['failed'] = [];
  for (const r of results) {
    if ('reason' in r) failed.push(r);
    else sources.push({ n: firstN + sources.length, ...r });
  }
  return { sources, failed };
}
