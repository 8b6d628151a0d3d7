// Web scraping (#7) and research (#18) benchmark on the built code in dist/: the real orchestrator
// (embedded mode, a temporary data dir, every built-in agent) against a small web, a SearXNG and an
// OpenAI-compatible model served from this process on 127.0.0.1. Prints the pages per second of a
// crawl of the site (paced by #7's per-host politeness, 250 ms between requests to one host) and the
// time of a research answer (search, #7 reading the hits over MCP, ranking, answer) without and with
// a language model (the fake model answers at once, so the figure is paios' own share).
//   npm run bench            (BENCH_RESEARCH_RUNS=5, BENCH_CRAWL_PAGES=30 by default)
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../dist/config/config.schema.js';
import { startCliContext } from '../dist/main.js';
import { ExecutorService } from '../dist/orchestrator/executor/executor.service.js';
import { UserRepository } from '../dist/orchestrator/identity/user.repository.js';

const RUNS = Number(process.env.BENCH_RESEARCH_RUNS ?? 5);
const PAGES = Number(process.env.BENCH_CRAWL_PAGES ?? 30);
const TOPICS = ['heat pumps', 'solar panels', 'standing desks', 'note taking apps', 'cargo bikes'];

/** An HTTP server on 127.0.0.1:0 answering with `handle(url, body)`; resolves with its base URL. */
async function serve(handle) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { status = 200, type = 'text/html; charset=utf-8', text } = handle(new URL(req.url, 'http://x'), body);
      res.writeHead(status, { 'content-type': type }).end(text);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

// The web: PAGES pages as a tree (page i links 3i+1..3i+3 and the home page), each a few paragraphs
// on one topic; three levels deep reach 40 pages.
const page = (i) => {
  const topic = TOPICS[i % TOPICS.length];
  const links = [0, 3 * i + 1, 3 * i + 2, 3 * i + 3]
    .filter((n) => n < PAGES)
    .map((n) => `<a href="/p/${n}">guide ${n}</a>`)
    .join(' ');
  const paragraphs = [
    `${topic} are a common question for small businesses; this is page ${i} about ${topic}.`,
    `Most owners say ${topic} pay off within five to eight years when used every day.`,
    `The price of ${topic} fell by a third since 2020, according to the survey on page ${i}.`,
  ];
  return `<!doctype html><html><head><title>${topic} guide ${i}</title></head><body><nav>${links}</nav>
    <article><h1>${topic} guide ${i}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
};
const web = await serve((url) => {
  if (url.pathname === '/robots.txt') return { type: 'text/plain', text: 'User-agent: *\nAllow: /\n' };
  const m = /^\/p\/(\d+)$/.exec(url.pathname);
  if (m && Number(m[1]) < PAGES) return { text: page(Number(m[1])) };
  return { status: 404, text: 'not found' };
});
const searx = await serve((url) => {
  const q = (url.searchParams.get('q') ?? '').toLowerCase();
  const hits = [];
  for (let i = 0; i < PAGES && hits.length < 5; i++)
    if (q.includes(TOPICS[i % TOPICS.length].split(' ')[0])) hits.push(i);
  const results = hits.map((i) => ({ url: `${web.url}/p/${i}`, title: `guide ${i}`, content: 'a guide' }));
  return { type: 'application/json', text: JSON.stringify({ query: q, results }) };
});
const model = await serve((url) => {
  if (url.pathname !== '/v1/chat/completions') return { status: 404, text: '{}' };
  const completion = {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 0,
    model: 'bench-model',
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        message: { role: 'assistant', content: 'They usually pay off within five to eight years [1].' },
      },
    ],
    usage: { prompt_tokens: 800, completion_tokens: 20, total_tokens: 820 },
  };
  return { type: 'application/json', text: JSON.stringify(completion) };
});

const ms = (t) => `${t.toFixed(0)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Boots paios with `env`, runs `work(call)` with a user's tool calls, shuts down. */
async function withPaios(env, work) {
  const dataDir = mkdtempSync(join(tmpdir(), 'paios-bench-research-'));
  const config = parseConfig(
    { NODE_ENV: 'production', PAIOS_DATA_DIR: dataDir, LOG_LEVEL: 'error', PAIOS_ALLOW_HOSTS: '127.0.0.1', ...env },
    'bench',
  );
  const running = await startCliContext(config);
  try {
    const userId = (await running.app.get(UserRepository).upsertByEmail('bench@example.test')).id;
    const executor = running.app.get(ExecutorService);
    const call = async (agentNumber, tool, parameters) => {
      const res = await executor.execute({ userId, agentNumber, tool, parameters, timeoutMs: 120_000 });
      if (!res.success) throw new Error(`#${agentNumber} ${tool} failed: ${res.error}`);
      return res;
    };
    return await work(call);
  } finally {
    await running.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function researchTimes(call) {
  const times = [];
  let method;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await call(18, 'research', { question: `do ${TOPICS[i % TOPICS.length]} pay off` });
    times.push(performance.now() - t0);
    method = res.data.method;
  }
  return { median: median(times), max: Math.max(...times), method };
}

try {
  await withPaios({ SEARXNG_URL: searx.url }, async (call) => {
    const t0 = performance.now();
    const res = await call(7, 'crawl', { url: `${web.url}/p/0`, depth: 3, maxPages: PAGES });
    const wall = (performance.now() - t0) / 1000;
    const pages = res.data.pages.length;
    console.log(
      `crawl of the bench site: ${pages} pages in ${wall.toFixed(2)} s = ${(pages / wall).toFixed(2)} pages/s ` +
        `(#7's own count: ${res.data.pagesPerSecond} pages/s; one host, 250 ms politeness interval)`,
    );
    const r = await researchTimes(call);
    console.log(`research answer without an LLM (${r.method}): median ${ms(r.median)}, max ${ms(r.max)} over ${RUNS}`);
  });
  await withPaios(
    {
      SEARXNG_URL: searx.url,
      OPENAI_BASE_URL: `${model.url}/v1`,
      OPENAI_API_KEY: 'sk-bench',
      LLM_MODEL: 'bench-model',
    },
    async (call) => {
      const r = await researchTimes(call);
      console.log(
        `research answer with an LLM (${r.method}, instant fake model): median ${ms(r.median)}, max ${ms(r.max)} over ${RUNS}`,
      );
    },
  );
} finally {
  web.close();
  searx.close();
  model.close();
}
