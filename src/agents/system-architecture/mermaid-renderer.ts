import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';
import { BrowserUnavailableError, ChromiumLauncher } from '../../orchestrator/browser/chromium-launcher.js';

export type DrawingFormat = 'svg' | 'png';

/** The parts of an SVG element the page script touches (no DOM library in this project). */
interface SvgElement {
  viewBox: { baseVal: { width: number; height: number } };
  removeAttribute(name: string): void;
  setAttribute(name: string, value: string): void;
}

export interface RendererOptions {
  /** Chromium or Chrome; Debian's chromium by default. */
  executablePath: string;
  /** The longest one drawing may take, browser start included. */
  timeoutMs: number;
  /** Pages kept open for reuse; a page is replaced after `pageUses` drawings. */
  pages: number;
  pageUses: number;
  /** Drawings kept by hash of (source, format). */
  cacheEntries: number;
  /** Pixel density of PNGs (2 = sharp on phones and retina screens). */
  scale: number;
}

/** No browser to draw with: the caller still has the Mermaid text to offer instead. */
export const RendererUnavailableError = BrowserUnavailableError;

export class RenderError extends Error {
  override name = 'RenderError';
}

let mermaidScript: string | undefined;
const script = () =>
  (mermaidScript ??= readFileSync(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'), 'utf8'));

/**
 * Mermaid drawn by the mermaid package itself, inside headless Chromium driven by puppeteer-core: one
 * warm browser (started on first use, restarted if it dies), a few pages with Mermaid already loaded
 * and recycled after a number of uses, a hard timeout per drawing, and a cache by source hash so the
 * same diagram is drawn once. Nothing is fetched from the network: the page is blank and offline.
 */
export class MermaidRenderer {
  private readonly logger = new Logger('MermaidRenderer');
  private readonly browser: ChromiumLauncher;
  private readonly idle: Page[] = [];
  private readonly uses = new WeakMap<Page, number>();
  private readonly waiting: ((page: Page) => void)[] = [];
  private open = 0;
  private readonly cache = new Map<string, Buffer>();
  private readonly running = new Map<string, Promise<Buffer>>();
  private closed = false;

  constructor(private readonly options: RendererOptions) {
    this.browser = new ChromiumLauncher(options.executablePath, options.timeoutMs, 'draw diagrams with');
    this.browser.onDisconnected(() => {
      this.idle.length = 0;
      this.open = 0;
    });
  }

  /** Whether a browser binary is there at all (it may still fail to start). */
  get available(): boolean {
    return this.browser.available;
  }

  async render(source: string, format: DrawingFormat): Promise<Buffer> {
    const key = createHash('sha256').update(format).update('\0').update(source).digest('hex');
    const hit = this.cache.get(key);
    if (hit) {
      // Least recently used goes first: a hit moves to the back.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const pending = this.running.get(key);
    if (pending) return pending;
    const work = this.withTimeout(this.draw(source, format)).finally(() => this.running.delete(key));
    this.running.set(key, work);
    const drawn = await work;
    this.cache.set(key, drawn);
    while (this.cache.size > this.options.cacheEntries) this.cache.delete(this.cache.keys().next().value!);
    return drawn;
  }

  /** Starts the browser and one page ahead of the first request. */
  async warm(): Promise<void> {
    const page = await this.acquire();
    this.release(page);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    await this.browser.close();
  }

  private async draw(source: string, format: DrawingFormat): Promise<Buffer> {
    const page = await this.acquire();
    let healthy = true;
    try {
      const svg = await page.evaluate(async (text: string) => {
        // Runs in the page: its globals, typed here without the DOM library.
        const page = globalThis as unknown as {
          document: { getElementById(id: string): { innerHTML: string } };
          mermaid: { render(id: string, text: string): Promise<{ svg: string }> };
        };
        const host = page.document.getElementById('out');
        host.innerHTML = '';
        const m = page.mermaid;
        try {
          const { svg } = await m.render(`d${Date.now()}`, text);
          host.innerHTML = svg;
          // Mermaid sizes the SVG to its container (max-width, width 100%): draw it at its natural size.
          const drawn = (host as unknown as { firstElementChild: SvgElement | null }).firstElementChild;
          if (drawn) {
            const box = drawn.viewBox.baseVal;
            drawn.removeAttribute('style');
            drawn.setAttribute('width', String(Math.ceil(box.width)));
            drawn.setAttribute('height', String(Math.ceil(box.height)));
          }
          return { svg: drawn ? (drawn as unknown as { outerHTML: string }).outerHTML : svg };
        } catch (err) {
          return { error: err instanceof Error ? err.message : String(err) };
        }
      }, source);
      if ('error' in svg) throw new RenderError(`Mermaid could not draw this: ${String(svg.error).split('\n')[0]}`);
      if (format === 'svg') return Buffer.from(svg.svg, 'utf8');
      const element = await page.$('#out > svg');
      if (!element) throw new RenderError('Mermaid produced no drawing');
      return Buffer.from(await element.screenshot({ type: 'png', omitBackground: false }));
    } catch (err) {
      healthy = err instanceof RenderError;
      throw err;
    } finally {
      if (healthy) this.release(page);
      else void this.discard(page);
    }
  }

  private async acquire(): Promise<Page> {
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.open >= this.options.pages) return new Promise<Page>((resolve) => this.waiting.push(resolve));
    this.open++;
    try {
      return await this.newPage();
    } catch (err) {
      this.open = Math.max(0, this.open - 1);
      throw err;
    }
  }

  private release(page: Page): void {
    const used = (this.uses.get(page) ?? 0) + 1;
    this.uses.set(page, used);
    if (used >= this.options.pageUses || this.closed) {
      void this.discard(page);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(page);
    else this.idle.push(page);
  }

  /** Closes a worn or broken page; whoever waits gets a fresh one. */
  private async discard(page: Page): Promise<void> {
    await page.close().catch(() => undefined);
    this.open = Math.max(0, this.open - 1);
    const next = this.waiting.shift();
    if (next && !this.closed) {
      this.open++;
      this.newPage().then(next, (err: unknown) => {
        this.open = Math.max(0, this.open - 1);
        this.logger.warn(`could not open a page: ${(err as Error).message}`);
      });
    }
  }

  private async newPage(): Promise<Page> {
    const browser = await this.browser.launch();
    const page = await browser.newPage();
    await page.setViewport({ width: 1600, height: 1000, deviceScaleFactor: this.options.scale });
    // A blank, offline page: Mermaid runs with strict security and nothing may be fetched.
    await page.setRequestInterception(true);
    page.on('request', (req) => void (req.url().startsWith('data:') ? req.continue() : req.abort()));
    await page.setContent(
      '<!doctype html><html><head><style>body{margin:0;background:#fff;font-family:"DejaVu Sans",Arial,sans-serif}#out{display:inline-block;padding:24px}</style></head><body><div id="out"></div></body></html>',
    );
    await page.addScriptTag({ content: script() });
    await page.evaluate(() => {
      (globalThis as unknown as { mermaid: { initialize(c: object): void } }).mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict',
        theme: 'base',
        htmlLabels: true,
        flowchart: { curve: 'basis', padding: 12, nodeSpacing: 36, rankSpacing: 56 },
        themeVariables: { fontSize: '15px', fontFamily: '"DejaVu Sans", Arial, sans-serif', lineColor: '#475569' },
      });
    });
    this.uses.set(page, 0);
    return page;
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RenderError(`drawing took longer than ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    return Promise.race([work, limit]).finally(() => clearTimeout(timer));
  }
}
