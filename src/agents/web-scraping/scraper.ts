import { load } from 'cheerio';
import { OutboundRefusedError } from '../../orchestrator/outbound/outbound.errors.js';
import { extractPage, type PageLink, type PageMetadata, type ScrapeFormat, SelectorError } from './extract.js';
import { parseHttpUrl, type PageFetcher } from './page-fetcher.js';
import type { PageRenderer } from './page-renderer.js';
import { ScrapeError, ScrapeErrorCode } from './scraping.errors.js';

export interface ScrapeRequest {
  url: string;
  selector?: string;
  format?: ScrapeFormat;
  render?: boolean;
}

/** What `scrape` returns as data; agents such as #18 Research read url, title and text. */
export interface ScrapeData {
  url: string;
  title: string;
  text: string;
  links: PageLink[];
  metadata: PageMetadata;
  table?: string[][];
  items?: { text: string; html: string; attributes: Record<string, string> }[];
  markdown?: string;
  /** The page was rendered in the browser (it needed JavaScript, or it was asked for). */
  rendered: boolean;
}

export interface CrawlRequest {
  url: string;
  depth: number;
  maxPages: number;
  sameSite: boolean;
  /** Told the number of pages read so far, after each one (progress for the person waiting). */
  onPage?: (pagesRead: number) => void;
}

export interface CrawlResult {
  pages: { url: string; title: string; text: string; depth: number }[];
  skipped: { url: string; reason: string }[];
  elapsedMs: number;
}

/** A static page with less readable text than this, and scripts, is taken to need JavaScript. */
const EMPTY_TEXT = 40;

/** Fetching plus extraction: one page (scrape) or a site (crawl). */
export class Scraper {
  constructor(
    private readonly fetcher: PageFetcher,
    private readonly renderer?: PageRenderer,
  ) {}

  async scrape(req: ScrapeRequest, signal?: AbortSignal): Promise<ScrapeData> {
    const page = await this.fetcher.get(req.url, 'page', signal);
    let html = page.text();
    const format = req.format ?? 'text';
    const read = (source: string) => {
      try {
        return extractPage(source, page.url, req.selector, format);
      } catch (err) {
        if (err instanceof SelectorError) throw new ScrapeError(ScrapeErrorCode.Invalid, err.message);
        throw err;
      }
    };
    let extracted = read(html);
    let rendered = false;
    const looksEmpty = extracted.text.length < EMPTY_TEXT && /<script\b/i.test(html);
    if (page.contentType.includes('html') && (req.render || looksEmpty) && this.renderer?.available) {
      html = await this.renderer.render(page.url);
      extracted = read(html);
      rendered = true;
    } else if (req.render && !this.renderer?.available) {
      throw new ScrapeError(ScrapeErrorCode.Network, 'there is no browser here to render pages with (CHROMIUM_PATH)');
    }
    return {
      url: page.url,
      title: extracted.title,
      text: extracted.text,
      links: extracted.links,
      metadata: extracted.metadata,
      table: extracted.table,
      items: extracted.matches,
      markdown: extracted.markdown,
      rendered,
    };
  }

  /**
   * Pages of a site, breadth first from `url` up to `depth` links away, or the pages a sitemap lists;
   * same site (host, with or without www) unless told otherwise; robots.txt honoured for each page.
   */
  async crawl(req: CrawlRequest, signal?: AbortSignal): Promise<CrawlResult> {
    const started = Date.now();
    const start = parseHttpUrl(req.url);
    const site = start.hostname.replace(/^www\./, '');
    const sameSite = (u: URL) => u.hostname.replace(/^www\./, '') === site;
    const result: CrawlResult = { pages: [], skipped: [], elapsedMs: 0 };
    const seen = new Set<string>();
    let frontier: string[];
    let maxDepth = req.depth;
    if (/sitemap[^/]*\.xml$/i.test(start.pathname)) {
      frontier = await this.sitemap(start, signal);
      maxDepth = 0;
    } else frontier = [start.toString()];

    for (let depth = 0; depth <= maxDepth && frontier.length && result.pages.length < req.maxPages; depth++) {
      const batch = frontier.filter((u) => !seen.has(u)).slice(0, req.maxPages - result.pages.length);
      batch.forEach((u) => seen.add(u));
      const next: string[] = [];
      // The fetcher paces each host; several at once keep a slow page from holding up the rest.
      await Promise.all(
        batch.map(async (url) => {
          try {
            const page = await this.scrape({ url }, signal);
            result.pages.push({ url: page.url, title: page.title, text: page.text, depth });
            req.onPage?.(result.pages.length);
            for (const link of page.links) {
              const u = new URL(link.href);
              if (!req.sameSite || sameSite(u)) next.push(u.toString());
            }
          } catch (err) {
            if (signal?.aborted) throw err;
            if (!(err instanceof ScrapeError || err instanceof OutboundRefusedError)) throw err;
            result.skipped.push({ url, reason: err.message });
          }
        }),
      );
      frontier = [...new Set(next)];
    }
    result.elapsedMs = Date.now() - started;
    return result;
  }

  /** The page URLs of a sitemap (and of the sitemaps a sitemap index names, one level down). */
  private async sitemap(url: URL, signal?: AbortSignal, nested = false): Promise<string[]> {
    const res = await this.fetcher.get(url.toString(), 'xml', signal);
    const $ = load(res.text(), { xml: true });
    const locs = (sel: string) =>
      $(sel)
        .toArray()
        .map((el) => $(el).text().trim())
        .filter(Boolean);
    const pages = locs('urlset > url > loc');
    if (!nested)
      for (const child of locs('sitemapindex > sitemap > loc'))
        pages.push(...(await this.sitemap(new URL(child), signal, true)));
    return pages;
  }
}
