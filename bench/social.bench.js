// Agent #8 benchmark on the built code in dist/, against the embedded database (PGlite), as `npm start`
// runs it (set DATABASE_URL to measure on PostgreSQL): posts per second through a local Mastodon
// stand-in (POST /api/v1/statuses honouring Idempotency-Key), each post composed for the network,
// its delivery row written before the call and its remote id after (the exactly-once bookkeeping).
//   npm run bench            (BENCH_POSTS=200 by default)
import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose } from '../dist/agents/social-media/compose/composer.js';
import { MastodonConnector } from '../dist/agents/social-media/connectors/mastodon/mastodon.connector.js';
import { Publisher } from '../dist/agents/social-media/publisher.js';
import { SocialPostRepository } from '../dist/agents/social-media/social-post.repository.js';
import { SystemClock } from '../dist/common/clock.js';
import { parseConfig } from '../dist/config/config.schema.js';
import { DatabaseRuntime, openDataSource, runMigrations } from '../dist/database/data-source.factory.js';

Logger.overrideLogger(['error']);

const POSTS = Number(process.env.BENCH_POSTS ?? 200);

// The stand-in: one status per Idempotency-Key.
const byKey = new Map();
const fake = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const key = req.headers['idempotency-key'];
    let status = byKey.get(key);
    if (!status) {
      status = { id: String(byKey.size + 1), text: JSON.parse(body).status };
      byKey.set(key, status);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: status.id, url: `http://fake/@bench/${status.id}`, uri: 'x' }));
  });
});
await new Promise((r) => fake.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${fake.address().port}`;

const dir = mkdtempSync(join(tmpdir(), 'paios-social-bench-'));
const config = parseConfig({ NODE_ENV: 'production', PAIOS_DATA_DIR: dir, ...process.env }, 'bench');
const runtime = await DatabaseRuntime.open(config);
const ds = await openDataSource(runtime.options);
await runMigrations(ds);
const [user] = await ds.query(`INSERT INTO users (email) VALUES ($1) RETURNING id`, [
  `bench-${Date.now()}@example.test`,
]);
const clock = new SystemClock();
const repo = new SocialPostRepository(ds);
// The benchmark's own server is trusted, like the server's settings: plain fetch, no outbound guard.
const accounts = { connector: async () => new MastodonConnector({ url, token: 'bench' }, fetch, clock) };
const publisher = new Publisher(repo, accounts, undefined, clock, { tries: 1, retryDelayMs: 0, maxImageBytes: 0 });

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
try {
  const times = [];
  const t0 = performance.now();
  for (let i = 0; i < POSTS; i++) {
    const t = performance.now();
    const draft = { text: `Bench post ${i}: the new pricing is live.`, hashtags: ['bench'] };
    const { post } = await repo.create(user.id, draft, compose(draft, ['mastodon']));
    await repo.approveNow(post.id, clock.now(), 60_000);
    const outcome = await publisher.publish(post);
    if (outcome.status !== 'posted') throw new Error(`post ${i} ended ${outcome.status}`);
    times.push(performance.now() - t);
  }
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  if (byKey.size !== POSTS) throw new Error(`the fake saw ${byKey.size} posts, expected ${POSTS}`);
  console.log(
    `social (#8, ${runtime.kind ?? 'embedded'}): ${POSTS} posts through the Mastodon fake in ${seconds.toFixed(2)} s: ` +
      `${(POSTS / seconds).toFixed(1)} posts/s, p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms`,
  );
} finally {
  await ds.destroy();
  await runtime.close();
  fake.close();
  rmSync(dir, { recursive: true, force: true });
}
