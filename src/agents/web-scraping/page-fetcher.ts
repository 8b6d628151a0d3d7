import { OutboundRefusedError } from '../../orchestrator/outbound/outbound.errors.js';
import type { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';
import { HostLimiter } from './host-limiter.js';
import { RobotsRules } from './robots.js';
import { ScrapeError, ScrapeErrorCode } from './scraping.errors.js';

export interface FetcherOptions {
  /** Sent with every request, and the name robots.txt rules are read for. */
  userAgent: string;
  timeoutMs: number;
  /** The most a response body may hold; larger ones are cut off and refused. */
  maxBytes: number;
  maxRedirects: number;
  /** Per host: requests at once, and the least time between two starts. */
  concurrency: number;
  intervalMs: number;
  robotsTtlMs: number;
}

export const DEFAULT_FETCHER_OPTIONS: FetcherOptions = {
  userAgent: 'paios-scraper/0.1 (+https://github.com/paios; personal assistant)',
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  concurrency: 2,
  intervalMs: 250,
  robotsTtlMs: 10 * 60_000,
};

/** What kinds of body a caller takes. */
export type Accept = 'page' | 'xml' | 'any';

const PAGE_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain', 'application/json', 'application/ld+json'];
const XML_TYPES = ['application/xml', 'text/xml', 'application/rss+xml', 'application/atom+xml', 'text/plain'];

export interface FetchedPage {
  /** Where the body came from, after redirects. */
  url: string;
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: Buffer;
  text(): string;
}

/**
 * Every request the scraping agent makes: through the OutboundClient (no loopback, private or
 * metadata address unless PAIOS_ALLOW_HOSTS says so, checked after DNS and for every redirect), with
 * the paios user agent, robots.txt honoured for the page and every redirect target, at most
 * `maxRedirects` hops, a time limit, a size cap, a content-type check and a per-host pace.
 */
export class PageFetcher {
  private readonly limiter: HostLimiter;
  private readonly robots = new Map<string, { rules: Promise<RobotsRules>; until: number }>();

  constructor(
    private readonly outbound: OutboundClient,
    readonly options: FetcherOptions = DEFAULT_FETCHER_OPTIONS,
  ) {
    this.limiter = new HostLimiter(options.concurrency, options.intervalMs);
  }

  /** A page (or a sitemap with accept 'xml'), robots.txt permitting. */
  async get(url: string, accept: Accept = 'page', signal?: AbortSignal): Promise<FetchedPage> {
    let current = parseHttpUrl(url);
    for (let hop = 0; ; hop++) {
      await this.assertAllowed(current, signal);
      const res = await this.request(current, signal);
      const location = res.status >= 300 && res.status < 400 ? res.headers.location : undefined;
      if (location) {
        if (hop >= this.options.maxRedirects)
          throw new ScrapeError(
            ScrapeErrorCode.Redirects,
            `${url} redirects more than ${this.options.maxRedirects} times; I stopped following it`,
          );
        current = parseHttpUrl(new URL(location, current).toString());
        continue;
      }
      if (res.status >= 400)
        throw new ScrapeError(ScrapeErrorCode.Status, `${current.toString()} answered HTTP ${res.status}`);
      checkType(current, res.contentType, accept);
      return res;
    }
  }

  /** Whether robots.txt lets paios fetch `url`; throws a ScrapeError naming the rule when it does not. */
  async assertAllowed(url: URL, signal?: AbortSignal): Promise<void> {
    const rules = await this.rulesFor(url, signal);
    const verdict = rules.verdict(url.toString(), this.options.userAgent);
    if (!verdict.allowed)
      throw new ScrapeError(
        ScrapeErrorCode.Robots,
        `${url.host}'s robots.txt does not allow fetching ${url.pathname}${verdict.rule ? ` (rule "${verdict.rule}")` : ''}, so I did not`,
      );
  }

  async rulesFor(url: URL, signal?: AbortSignal): Promise<RobotsRules> {
    const key = url.origin;
    const cached = this.robots.get(key);
    if (cached && cached.until > Date.now()) return cached.rules;
    const robotsUrl = new URL('/robots.txt', url).toString();
    const rules = this.request(new URL(robotsUrl), signal, 3).then(
      (res) => {
        if (res.status >= 500) return RobotsRules.refuseAll(robotsUrl);
        if (res.status >= 300) return RobotsRules.allowAll(robotsUrl);
        return new RobotsRules(robotsUrl, res.text());
      },
      (err: unknown) => {
        // Refused by the address policy: said as such, not as "robots.txt missing".
        if (err instanceof OutboundRefusedError || err instanceof ScrapeError) throw err;
        return RobotsRules.allowAll(robotsUrl);
      },
    );
    this.robots.set(key, { rules, until: Date.now() + this.options.robotsTtlMs });
    rules.catch(() => this.robots.delete(key));
    return rules;
  }

  /**
   * One HTTP GET (no robots check; redirects returned, not followed): for robots.txt itself and for
   * what a rendering browser asks for. Paced per host, time-limited, size-capped.
   */
  async request(url: URL, signal?: AbortSignal, redirectsLeft = 0): Promise<FetchedPage> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    return this.limiter.run(url.host, async () => {
      let res: Response;
      try {
        res = await this.outbound.fetch(url, {
          redirect: 'manual',
          signal: combined,
          headers: { 'user-agent': this.options.userAgent, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
        });
      } catch (err) {
        throw this.failure(url, err, timeout);
      }
      const location = res.headers.get('location');
      if (redirectsLeft > 0 && res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        return this.request(new URL(location, url), signal, redirectsLeft - 1);
      }
      const body = await this.readCapped(url, res, timeout).catch((err: unknown) => {
        throw this.failure(url, err, timeout);
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => (headers[name] = value));
      const contentType = (res.headers.get('content-type') ?? '').toLowerCase();
      return {
        url: url.toString(),
        status: res.status,
        contentType: contentType.split(';')[0]!.trim(),
        headers,
        body,
        text: () => decode(body, contentType),
      };
    });
  }

  private async readCapped(url: URL, res: Response, timeout: AbortSignal): Promise<Buffer> {
    const declared = Number(res.headers.get('content-length') ?? NaN);
    const tooLarge = () =>
      new ScrapeError(
        ScrapeErrorCode.TooLarge,
        `${url.toString()} is larger than ${Math.round(this.options.maxBytes / 1024)} KiB; I read no further`,
      );
    if (declared > this.options.maxBytes) {
      await res.body?.cancel();
      throw tooLarge();
    }
    if (!res.body) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    let size = 0;
    const reader = res.body.getReader();
    for (;;) {
      if (timeout.aborted) throw timeout.reason;
      const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (done || !value) break;
      size += value.byteLength;
      if (size > this.options.maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(Buffer.from(value));
    }
    return Buffer.concat(chunks);
  }

  private failure(url: URL, err: unknown, timeout: AbortSignal): Error {
    if (err instanceof ScrapeError || err instanceof OutboundRefusedError) return err;
    if (timeout.aborted)
      return new ScrapeError(
        ScrapeErrorCode.Timeout,
        `${url.toString()} did not answer within ${this.options.timeoutMs / 1000} s`,
      );
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return new ScrapeError(ScrapeErrorCode.Network, `I could not reach ${url.host}${cause ? ` (${cause})` : ''}`);
  }
}

/** An http(s) URL, or a ScrapeError saying what is wrong with it. */
export function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
  } catch {
    throw new ScrapeError(ScrapeErrorCode.Invalid, `"${text}" is not a web address`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ScrapeError(ScrapeErrorCode.Invalid, `I only fetch http and https pages, not ${url.protocol}`);
  if (url.username || url.password)
    throw new ScrapeError(ScrapeErrorCode.Invalid, 'web addresses with a user name or password are not fetched');
  url.hash = '';
  return url;
}

function checkType(url: URL, contentType: string, accept: Accept): void {
  if (accept === 'any' || contentType === '') return;
  const allowed = accept === 'xml' ? [...XML_TYPES, 'text/html'] : PAGE_TYPES;
  if (!allowed.includes(contentType))
    throw new ScrapeError(
      ScrapeErrorCode.ContentType,
      `${url.toString()} is ${contentType}, not a ${accept === 'xml' ? 'sitemap' : 'web page'}; I do not scrape that`,
    );
}

function decode(body: Buffer, contentType: string): string {
  const charset = /charset=["']?([\w-]+)/i.exec(contentType)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
