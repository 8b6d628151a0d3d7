import type { PaiosConfig } from '../../config/config.schema.js';
import type { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';
import { grantedSecret } from '../../vault/granted-secret.js';
import type { VaultService } from '../../vault/vault.service.js';

/** One hit of a web search. */
export interface SearchHit {
  title: string;
  url: string;
  snippet: string;
}

export interface SearchProvider {
  readonly name: 'searxng' | 'brave' | 'tavily';
  search(query: string, count: number, signal?: AbortSignal): Promise<SearchHit[]>;
}

/** The search service answered with an error (or nonsense); the message never holds the key. */
export class SearchFailed extends Error {
  override name = 'SearchFailed';
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function hits(list: unknown, snippetKey: string, count: number): SearchHit[] {
  if (!Array.isArray(list)) return [];
  return (list as Record<string, unknown>[])
    .map((r) => ({ title: text(r.title).trim(), url: text(r.url), snippet: text(r[snippetKey]).trim() }))
    .filter((h) => /^https?:\/\//i.test(h.url))
    .slice(0, count);
}

async function readJson(res: Response, service: string): Promise<Record<string, unknown>> {
  if (!res.ok) throw new SearchFailed(`${service} answered ${res.status}`);
  try {
    return (await res.json()) as Record<string, unknown>;
  } catch {
    throw new SearchFailed(`${service} did not answer in JSON`);
  }
}

/** SearXNG's JSON API (`format=json` must be enabled in its settings.yml). */
class Searxng implements SearchProvider {
  readonly name = 'searxng';
  constructor(
    private readonly base: string,
    private readonly outbound: OutboundClient,
  ) {}

  async search(query: string, count: number, signal?: AbortSignal): Promise<SearchHit[]> {
    const url = new URL('search', this.base.endsWith('/') ? this.base : `${this.base}/`);
    url.searchParams.set('q', query);
    url.searchParams.set('format', 'json');
    const body = await readJson(
      await this.outbound.fetch(url, { headers: { accept: 'application/json' }, signal }),
      'SearXNG',
    );
    return hits(body.results, 'content', count);
  }
}

/** A search API reached with a person's own key. */
abstract class KeyedSearch implements SearchProvider {
  abstract readonly name: SearchProvider['name'];
  constructor(
    protected readonly base: string,
    protected readonly key: string,
    protected readonly outbound: OutboundClient,
  ) {}

  abstract search(query: string, count: number, signal?: AbortSignal): Promise<SearchHit[]>;

  protected endpoint(path: string): URL {
    return new URL(path, this.base.endsWith('/') ? this.base : `${this.base}/`);
  }
}

/** Brave Search API, web results. */
class Brave extends KeyedSearch {
  readonly name = 'brave';

  async search(query: string, count: number, signal?: AbortSignal): Promise<SearchHit[]> {
    const url = this.endpoint('res/v1/web/search');
    url.searchParams.set('q', query);
    url.searchParams.set('count', String(Math.min(count, 20)));
    const body = await readJson(
      await this.outbound.fetch(url, {
        headers: { accept: 'application/json', 'x-subscription-token': this.key },
        signal,
      }),
      'Brave Search',
    );
    return hits((body.web as { results?: unknown } | undefined)?.results, 'description', count);
  }
}

/** Tavily search API. */
class Tavily extends KeyedSearch {
  readonly name = 'tavily';

  async search(query: string, count: number, signal?: AbortSignal): Promise<SearchHit[]> {
    const url = this.endpoint('search');
    const body = await readJson(
      await this.outbound.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
        body: JSON.stringify({ query, max_results: Math.min(count, 20) }),
        signal,
      }),
      'Tavily',
    );
    return hits(body.results, 'content', count);
  }
}

/**
 * Which search a person's research uses: a Brave or Tavily key from their vault when they granted
 * agent #18 that service (`brave-search` / `tavily`, field `apiKey`), else the server's SearXNG
 * (SEARXNG_URL), else none (research then needs URLs). Every request goes through the
 * OutboundClient, so a search service inside the network needs PAIOS_ALLOW_HOSTS.
 */
export class SearchProviders {
  constructor(
    private readonly config: PaiosConfig,
    private readonly outbound: OutboundClient,
    private readonly vault?: VaultService,
  ) {}

  async for(userId: string): Promise<SearchProvider | undefined> {
    const { searxngUrl, braveApiBase, tavilyApiBase } = this.config.research;
    const hasServer = searxngUrl !== undefined;
    const brave = await grantedSecret(this.vault, userId, 18, 'brave-search', hasServer);
    if (typeof brave?.apiKey === 'string')
      return new Brave(braveApiBase ?? 'https://api.search.brave.com', brave.apiKey, this.outbound);
    const tavily = await grantedSecret(this.vault, userId, 18, 'tavily', hasServer);
    if (typeof tavily?.apiKey === 'string')
      return new Tavily(tavilyApiBase ?? 'https://api.tavily.com', tavily.apiKey, this.outbound);
    return searxngUrl ? new Searxng(searxngUrl, this.outbound) : undefined;
  }
}
