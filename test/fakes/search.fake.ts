import { HttpFake, type RecordedRequest } from './http-fake.js';
import { FAKE_PAGES } from './web.fake.js';

interface Hit {
  title: string;
  url: string;
  snippet: string;
}

/**
 * What the fake search engines find on the fake web at `webUrl`: pages whose title or text share a
 * word with the query, best first, plus a dead link for CRM searches (a page that cannot be read).
 */
export function fakeSearch(webUrl: () => string, query: string): Hit[] {
  const common = new Set(['the', 'for', 'and', 'best', 'with', 'price', 'features', 'ease', 'use']);
  const words = (query.toLowerCase().match(/[a-z]{3,}/g) ?? []).filter((w) => !common.has(w));
  const scored = FAKE_PAGES.map((p) => {
    const hay = `${p.title} ${p.paragraphs.join(' ')}`.toLowerCase();
    return { p, score: words.filter((w) => hay.includes(w)).length + (words.some((w) => p.path.includes(w)) ? 5 : 0) };
  })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const hits = scored.map(({ p }) => ({ title: p.title, url: `${webUrl()}${p.path}`, snippet: p.paragraphs[0]! }));
  if (words.includes('crm'))
    hits.splice(1, 0, { title: 'Gone', url: `${webUrl()}/gone`, snippet: 'A page that moved.' });
  return hits;
}

/** SearXNG's JSON API: GET /search?q=...&format=json. */
export function searxngFake(webUrl: () => string): HttpFake {
  return new HttpFake((req: RecordedRequest) => {
    const url = new URL(req.path, 'http://fake');
    if (req.method !== 'GET' || url.pathname !== '/search') return { status: 404, json: { error: 'no route' } };
    if (url.searchParams.get('format') !== 'json') return { status: 403, body: 'format not allowed' };
    const q = url.searchParams.get('q') ?? '';
    return {
      json: {
        query: q,
        number_of_results: 0,
        results: fakeSearch(webUrl, q).map((h) => ({ title: h.title, url: h.url, content: h.snippet, engine: 'fake' })),
        answers: [],
        suggestions: [],
      },
    };
  });
}

/** Brave Search API: GET /res/v1/web/search?q=...; the key in X-Subscription-Token. */
export function braveFake(webUrl: () => string, key: string): HttpFake {
  return new HttpFake((req) => {
    const url = new URL(req.path, 'http://fake');
    if (url.pathname !== '/res/v1/web/search') return { status: 404, json: { error: 'no route' } };
    if (req.headers['x-subscription-token'] !== key)
      return { status: 401, json: { type: 'ErrorResponse', error: { code: 'SUBSCRIPTION_TOKEN_INVALID' } } };
    const q = url.searchParams.get('q') ?? '';
    const count = Number(url.searchParams.get('count') ?? 20);
    return {
      json: {
        type: 'search',
        query: { original: q },
        web: {
          type: 'search',
          results: fakeSearch(webUrl, q)
            .slice(0, count)
            .map((h) => ({ title: h.title, url: h.url, description: h.snippet })),
        },
      },
    };
  });
}

/** Tavily: POST /search {query, max_results}; the key as a Bearer token. */
export function tavilyFake(webUrl: () => string, key: string): HttpFake {
  return new HttpFake((req) => {
    if (req.method !== 'POST' || req.path !== '/search') return { status: 404, json: { detail: 'no route' } };
    if (req.headers.authorization !== `Bearer ${key}`)
      return { status: 401, json: { detail: { error: 'Unauthorized' } } };
    const body = req.body as { query?: string; max_results?: number };
    return {
      json: {
        query: body.query,
        results: fakeSearch(webUrl, body.query ?? '')
          .slice(0, body.max_results ?? 5)
          .map((h, i) => ({ title: h.title, url: h.url, content: h.snippet, score: 1 - i / 10 })),
        response_time: 0.1,
      },
    };
  });
}
