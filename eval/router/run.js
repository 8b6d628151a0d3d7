// Held-out evaluation of the router (src/orchestrator/router/router.service.ts), on the built code
// in dist/. It boots the real orchestrator as `paios route` does (every built-in agent, embedded mode,
// a temporary data dir) with no LLM, no database or Redis URL and no chat platform configured, routes
// every command of commands.jsonl with no history and no bound channel, and prints how it did.
// The commands are written apart from the tools' example utterances and are never trained on.
//   npm run eval:router                      (builds first)
//   node eval/router/run.js [--json] [--split] [--misses N] [--file other.jsonl]
//   ROUTER_CONFIDENCE=0.5 node eval/router/run.js    (measure another threshold; the default is paios')
// Writes eval/router/last-run.json. Exits 0 whatever the figures: it measures, it does not judge.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../dist/config/config.schema.js';
import { startCliContext } from '../../dist/main.js';
import { AgentRegistry } from '../../dist/orchestrator/registry/agent-registry.js';
import { OUT_OF_SCOPE } from '../../dist/orchestrator/router/out-of-scope.corpus.js';
import { RouterService } from '../../dist/orchestrator/router/router.service.js';
import { printReport } from './report.js';
import { parseCommands, scoreItem, summarize } from './score.js';

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    split: { type: 'boolean', default: false },
    misses: { type: 'string', default: '30' },
    file: { type: 'string', default: new URL('./commands.jsonl', import.meta.url).pathname },
  },
});

const items = parseCommands(readFileSync(opts.file, 'utf8'));
const dataDir = mkdtempSync(join(tmpdir(), 'paios-eval-router-'));
// Only these settings: nothing from the caller's environment (.env is not read either) may add an
// LLM, a server database, Redis or a chat platform to what is measured.
const env = { NODE_ENV: 'production', PAIOS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
if (process.env.ROUTER_CONFIDENCE) env.ROUTER_CONFIDENCE = process.env.ROUTER_CONFIDENCE;
const config = parseConfig(env, 'eval');
if (config.llm.provider)
  throw new Error(`an LLM is configured (${config.llm.provider}); this evaluates the local router`);

const bootStarted = performance.now();
const running = await startCliContext(config);
try {
  const registry = running.app.get(AgentRegistry);
  const router = running.app.get(RouterService);
  const agents = registry
    .list()
    .map((s) => ({ number: s.agentNumber, name: s.name, state: s.state }))
    .sort((a, b) => a.number - b.number);
  const inactive = agents.filter((a) => a.state !== 'active');
  if (inactive.length)
    throw new Error(`agents not active: ${inactive.map((a) => `#${a.number} ${a.state}`).join(', ')}`);
  const catalog = new Set(registry.catalog().map((t) => `#${t.agentNumber}.${t.name}`));
  const unknown = items.filter((i) => i.agent !== null && !catalog.has(`#${i.agent}.${i.tool}`));
  if (unknown.length) {
    throw new Error(
      `the set names tools that do not exist: ${unknown.map((i) => `line ${i.line} #${i.agent}.${i.tool}`).join(', ')}`,
    );
  }

  // A held-out set shares no sentence with what the model trains on (tool examples, the None corpus);
  // compared after folding case and punctuation, as nlp.js does. Only the set's own lines are shown.
  const fold = (t) =>
    t
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const trained = new Set([...registry.catalog().flatMap((t) => t.examples), ...OUT_OF_SCOPE].map(fold));
  const overlap = items.filter((i) => trained.has(fold(i.text))).map((i) => ({ line: i.line, text: i.text }));

  // The first call waits for the model trained at boot; it is not a routing latency.
  await router.route('warm up');
  const bootMs = performance.now() - bootStarted;

  const threshold = config.router.confidence;
  const rows = [];
  for (const item of items) {
    const started = performance.now();
    const decision = await router.route(item.text);
    rows.push(scoreItem(item, decision, performance.now() - started, threshold));
  }
  const summary = {
    ranAt: new Date().toISOString(),
    node: process.version,
    set: opts.file,
    bootMs: Math.round(bootMs),
    agents: agents.map(({ number, name }) => ({ number, name })),
    tools: catalog.size,
    trainingOverlap: overlap,
    ...summarize(rows, { threshold, agents }),
  };
  writeFileSync(new URL('./last-run.json', import.meta.url), `${JSON.stringify(summary, null, 2)}\n`);
  if (opts.json) console.log(JSON.stringify(summary, null, 2));
  else printReport(summary, { split: opts.split, misses: Number(opts.misses) || 30 });
} finally {
  await running.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
}
