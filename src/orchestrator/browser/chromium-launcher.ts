import { existsSync } from 'node:fs';
import type { Browser } from 'puppeteer-core';

/** No browser to use: callers fall back (the Mermaid text instead of a drawing, the static page). */
export class BrowserUnavailableError extends Error {
  override name = 'BrowserUnavailableError';
}

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--mute-audio',
];

/**
 * The one way paios starts headless Chromium (CHROMIUM_PATH) through puppeteer-core: started on first
 * use, restarted on the next use after it crashed or was killed, closed once. Diagram drawing and page
 * rendering for scraping each hold a launcher; what their pages may load is theirs to decide.
 */
export class ChromiumLauncher {
  private browser?: Promise<Browser>;
  private closed = false;
  private readonly disconnectedListeners: (() => void)[] = [];

  constructor(
    private readonly executablePath: string,
    private readonly timeoutMs: number,
    /** What the browser is for, in the message when there is none ("draw diagrams with"). */
    private readonly purpose: string,
  ) {}

  /** Whether a browser binary is there at all (it may still fail to start). */
  get available(): boolean {
    return existsSync(this.executablePath);
  }

  /** Called when the browser goes away (crash, kill): pages of it are gone. */
  onDisconnected(listener: () => void): void {
    this.disconnectedListeners.push(listener);
  }

  launch(): Promise<Browser> {
    if (this.closed) return Promise.reject(new BrowserUnavailableError('the browser is shut down'));
    if (!this.browser) {
      if (!this.available)
        return Promise.reject(
          new BrowserUnavailableError(
            `no browser at ${this.executablePath} to ${this.purpose} (install Debian's chromium, or set CHROMIUM_PATH)`,
          ),
        );
      this.browser = import('puppeteer-core').then(async ({ default: puppeteer }) => {
        const browser = await puppeteer.launch({
          executablePath: this.executablePath,
          args: CHROMIUM_ARGS,
          headless: true,
          timeout: this.timeoutMs,
        });
        browser.on('disconnected', () => {
          // Crashed or killed: the next use starts a new one.
          this.browser = undefined;
          for (const listener of this.disconnectedListeners) listener();
        });
        return browser;
      });
      this.browser.catch(() => (this.browser = undefined));
    }
    return this.browser.catch((err: unknown) => {
      throw new BrowserUnavailableError(`the browser did not start: ${(err as Error).message.split('\n')[0]}`);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close().catch(() => undefined);
  }
}
