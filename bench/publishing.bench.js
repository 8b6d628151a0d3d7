// Site build benchmark of agent #29 on the built code in dist/: 500 published posts (BENCH_POSTS)
// of about 600 words each, with headings, lists, code and links, over 20 tags, rendered to HTML
// pages, the index, tag pages, RSS 2.0, Atom and the sitemap, then written as static files and
// swapped in, as every publish does. The database read is not part of it (one SELECT).
//   npm run bench            (BENCH_POSTS=500 BENCH_RUNS=5 by default)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite } from '../dist/agents/publishing/site-builder.js';
import { SiteStore } from '../dist/agents/publishing/site-store.js';

const POSTS = Number(process.env.BENCH_POSTS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const paragraph = (i) =>
  `Paragraph ${i} explains **one idea** with a [link](https://example.com/${i}) and some \`code\`. ` +
  'It goes on for a while, as paragraphs in a real post do, so that the renderer has something to chew on. '.repeat(3);
const body = (n) =>
  [
    `Intro of post ${n}.`,
    ...Array.from({ length: 8 }, (_, i) => (i % 3 === 0 ? `## Part ${i}\n\n${paragraph(i)}` : paragraph(i))),
    '- first point\n- second point\n- third point',
    '```js\nconsole.log("hello");\n```',
  ].join('\n\n');

const start = Date.UTC(2025, 0, 1);
const posts = Array.from({ length: POSTS }, (_, n) => ({
  id: `p${n}`,
  userId: 'bench',
  slug: `post-${n}`,
  title: `Post number ${n}`,
  summary: `What post ${n} is about.`,
  tags: [`tag-${n % 20}`, `topic-${n % 7}`],
  body: body(n),
  status: 'published',
  revision: 1,
  publishAt: null,
  publishedAt: new Date(start + n * 3_600_000),
  createdAt: new Date(start),
  updatedAt: new Date(start + n * 3_600_000),
}));
const site = {
  title: 'Bench site',
  description: 'Posts',
  language: 'en',
  url: 'https://example.com/site/',
  author: 'Ada',
};

const dir = mkdtempSync(join(tmpdir(), 'paios-publishing-bench-'));
const store = new SiteStore(dir);
const fmt = (n) => n.toFixed(0);
try {
  const builds = [];
  const writes = [];
  let files;
  for (let r = 0; r < RUNS; r++) {
    let t0 = performance.now();
    files = buildSite(site, posts);
    builds.push(performance.now() - t0);
    t0 = performance.now();
    await store.write('bench', files);
    writes.push(performance.now() - t0);
  }
  builds.sort((a, b) => a - b);
  writes.sort((a, b) => a - b);
  const bytes = [...files.values()].reduce((s, c) => s + Buffer.byteLength(c), 0);
  const mid = Math.floor(RUNS / 2);
  console.log(
    `site build (${POSTS} posts, ${files.size} files, ${(bytes / 1048576).toFixed(1)} MiB): ` +
      `render p50 ${fmt(builds[mid])} ms (min ${fmt(builds[0])}), write p50 ${fmt(writes[mid])} ms, ` +
      `total p50 ${fmt(builds[mid] + writes[mid])} ms (${RUNS} runs)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
