import type { HTTPRequest } from 'puppeteer-core';
import { ChromiumLauncher } from '../../orchestrator/browser/chromium-launcher.js';
import type { PageFetcher } from './page-fetcher.js';

/** Resource kinds a rendered page may load; pictures, fonts and media are not needed to read it. */
const LOADED = new Set(['document', 'script', 'xhr', 'fetch', 'stylesheet']);

/**
 * Pages that need JavaScript, rendered in headless Chromium (the launcher diagrams use). The browser
 * opens no connection of its own: every request it makes is intercepted and fetched by the
 * PageFetcher, so the address policy, robots.txt (for the page), the size cap and the per-host pace
 * hold for it too.
 */
export class PageRenderer {
  private readonly launcher: ChromiumLauncher;

  constructor(
    private readonly fetcher: PageFetcher,
    executablePath: string,
    private readonly timeoutMs: number,
  ) {
    this.launcher = new ChromiumLauncher(executablePath, timeoutMs, 'render pages that need JavaScript');
  }

  get available(): boolean {
    return this.launcher.available;
  }

  /** The page's HTML after its scripts ran (network quiet, or the time limit). */
  async render(url: string): Promise<string> {
    const browser = await this.launcher.launch();
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      await page.setUserAgent({ userAgent: this.fetcher.options.userAgent });
      page.setDefaultTimeout(this.timeoutMs);
      await page.setRequestInterception(true);
      page.on('request', (req) => void this.answer(req, url));
      await page.goto(url, { waitUntil: 'networkidle0', timeout: this.timeoutMs }).catch(async (err: Error) => {
        // A page that keeps polling never goes quiet: take what it has drawn by then.
        if (!/timeout/i.test(err.message)) throw err;
      });
      return await page.content();
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  private async answer(req: HTTPRequest, pageUrl: string): Promise<void> {
    try {
      const target = new URL(req.url());
      if (!LOADED.has(req.resourceType()) || req.method() !== 'GET' || !/^https?:$/.test(target.protocol)) {
        await req.abort('blockedbyclient');
        return;
      }
      // The page itself went through robots.txt and redirects in fetcher.get before we came here.
      const res =
        req.url() === pageUrl ? await this.fetcher.get(req.url(), 'page') : await this.fetcher.request(target);
      await req.respond({
        status: res.status,
        headers: Object.fromEntries(
          Object.entries(res.headers).filter(([name]) => !['content-encoding', 'content-length'].includes(name)),
        ),
        contentType: res.contentType || undefined,
        body: res.body,
      });
    } catch {
      await req.abort('blockedbyclient').catch(() => undefined);
    }
  }

  close(): Promise<void> {
    return this.launcher.close();
  }
}
