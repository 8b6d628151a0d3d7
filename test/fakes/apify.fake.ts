import { HttpFake, type FakeReply } from './http-fake.js';

/**
 * A local stand-in for the Apify API as apify-client uses it to run an Actor and read its results
 * (https://docs.apify.com/api/v2): POST /v2/actors/{actorId}/runs (formerly /acts/) starts a run, GET
 * /v2/actor-runs/{runId} reports it finished, GET /v2/datasets/{datasetId}/items lists its items.
 * Only the token `apify_api_paios` is accepted; `items` are what every run produces.
 */
export function apifyFake(items: Record<string, unknown>[]): HttpFake {
  const runs = new Map<string, { actId: string; input: unknown }>();
  let n = 0;
  const run = (id: string, status: string) => ({
    data: {
      id,
      actId: runs.get(id)?.actId,
      status,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: status === 'RUNNING' ? null : '2026-01-01T00:00:05.000Z',
      defaultDatasetId: `ds_${id}`,
      defaultKeyValueStoreId: `kv_${id}`,
    },
  });
  return new HttpFake((req): FakeReply => {
    const path = req.path.split('?')[0]!;
    if (req.headers.authorization !== 'Bearer apify_api_paios')
      return {
        status: 401,
        json: { error: { type: 'token-not-valid', message: 'Authentication token is not valid.' } },
      };
    let m = /^\/v2\/act(?:or)?s\/([^/]+)\/runs$/.exec(path);
    if (req.method === 'POST' && m) {
      if (m[1] !== 'apify~web-scraper')
        return { status: 404, json: { error: { type: 'record-not-found', message: 'Actor was not found' } } };
      const id = `run${++n}`;
      runs.set(id, { actId: m[1], input: req.body });
      return { status: 201, json: run(id, 'RUNNING') };
    }
    m = /^\/v2\/actor-runs\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && m) return { json: run(m[1]!, 'SUCCEEDED') };
    m = /^\/v2\/datasets\/ds_([^/]+)\/items$/.exec(path);
    if (req.method === 'GET' && m)
      return {
        json: items,
        headers: {
          'x-apify-pagination-total': String(items.length),
          'x-apify-pagination-offset': '0',
          'x-apify-pagination-limit': String(items.length),
          'x-apify-pagination-count': String(items.length),
          'x-apify-pagination-desc': 'false',
        },
      };
    return { status: 404, json: { error: { type: 'page-not-found', message: `no route ${req.method} ${path}` } } };
  });
}

/** The inputs the fake's runs were started with. */
export const runInputs = (fake: HttpFake) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path.includes('/runs')).map((r) => r.body);
