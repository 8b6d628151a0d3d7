// Diagram benchmarks on the built code in dist/: the system drawn by agent #31 as PNG through
// headless Chromium (puppeteer-core + mermaid), for a 10-node and a 50-node system.
//  cold: a new renderer (browser start, page, Mermaid loaded) and the first drawing;
//  warm: further drawings of changed diagrams on the warm page (the cache is bypassed by changing
//        the diagram each time), p50 and max; cached: the same diagram again.
//   npm run bench            (BENCH_DRAWINGS=10 by default; CHROMIUM_PATH=/usr/bin/chromium)
import { Logger } from '@nestjs/common';
import { MermaidRenderer } from '../dist/agents/system-architecture/mermaid-renderer.js';
import { toMermaid } from '../dist/agents/system-architecture/mermaid.js';

Logger.overrideLogger(['error']);
const DRAWINGS = Number(process.env.BENCH_DRAWINGS ?? 10);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STATES = ['active', 'active', 'active', 'disabled', 'starting', 'failed'];

/** A system of `agents` agents with a workflow for every third one; `variant` changes one label. */
function model(agents, variant) {
  return {
    takenAt: new Date().toISOString(),
    version: `bench-${variant}`,
    agents: Array.from({ length: agents }, (_, i) => ({
      number: i + 1,
      name: `agent-${i + 1}`,
      description: '',
      version: '1.0.0',
      state: STATES[i % STATES.length],
      inFlight: i === 0 ? variant : 0,
      source: i % 7 === 6 ? 'external' : 'builtin',
      tools: [],
    })),
    workflows: Array.from({ length: Math.floor(agents / 3) }, (_, i) => ({
      id: `w${i}`,
      from: i * 3 + 1,
      to: i * 3 + 2,
      event: 'thing.done',
      tool: 'follow_up',
      active: i % 2 === 0,
    })),
    adapters: [
      { platform: 'slack', state: 'ready', modes: ['http'] },
      { platform: 'telegram', state: 'ready', modes: ['webhook'] },
    ],
    infrastructure: { database: 'PostgreSQL', cache: 'Redis', jobs: 'BullMQ' },
  };
}

const fmt = (ms) => `${Math.round(ms)} ms`;
for (const size of [10, 50]) {
  // Nodes besides the agents: 2 chat, 4 core, 3 infrastructure, 4 legend.
  const renderer = new MermaidRenderer({
    executablePath: CHROMIUM,
    timeoutMs: 60_000,
    pages: 1,
    pageUses: 1000,
    cacheEntries: 100,
    scale: 2,
  });
  try {
    let t0 = performance.now();
    const first = await renderer.render(toMermaid(model(size, 0)), 'png');
    const cold = performance.now() - t0;
    const warm = [];
    for (let i = 1; i <= DRAWINGS; i++) {
      t0 = performance.now();
      await renderer.render(toMermaid(model(size, i)), 'png');
      warm.push(performance.now() - t0);
    }
    warm.sort((a, b) => a - b);
    t0 = performance.now();
    await renderer.render(toMermaid(model(size, 1)), 'png');
    const cached = performance.now() - t0;
    console.log(
      `diagram ${size} agents (${size + 13} nodes, ${Math.floor(size / 3)} workflows) PNG ${first.readUInt32BE(16)}x${first.readUInt32BE(20)}: ` +
        `cold ${fmt(cold)}, warm p50 ${fmt(warm[Math.floor(warm.length / 2)])} max ${fmt(warm.at(-1))} (${DRAWINGS} drawings), cached ${cached.toFixed(2)} ms`,
    );
  } catch (err) {
    console.log(`diagram ${size} agents: not measured (${err.message})`);
  } finally {
    await renderer.close();
  }
}
