// Prompt size of what paios sends an AI model, on the built code in dist/, over the real catalog of the
// built-in agents (their tools' names, descriptions, schemas and examples; no handler runs):
//  1. for each one-line question the local router is unsure of, the bytes of the first request body
//     the OpenAI SDK sends (the catalog pruned to the local router's best candidates), and how many
//     tools it offered; the goal is at most 6 KB;
//  2. routing latency p50/p99 of the local router over the same catalog (no model).
//   npm run bench            (BENCH_PROMPT_ROUTES=2000 by default)
import { Logger } from '@nestjs/common';
import { createServer } from 'node:http';
import { projectTools } from '../dist/agents/business-intelligence/tools/project.tools.js';
import { revenueTools } from '../dist/agents/business-intelligence/tools/revenue.tools.js';
import { digestTools } from '../dist/agents/business-intelligence/tools/digest.tools.js';
import { clientTools } from '../dist/agents/invoicing/tools/client.tools.js';
import { invoiceTools } from '../dist/agents/invoicing/tools/invoice.tools.js';
import { vaultTools } from '../dist/agents/password-vault/tools/vault.tools.js';
import { generateTool } from '../dist/agents/password-vault/tools/generate.tool.js';
import { researchTool } from '../dist/agents/research/tools/research.tool.js';
import { summarizeUrlTool } from '../dist/agents/research/tools/summarize-url.tool.js';
import { compareTool } from '../dist/agents/research/tools/compare.tool.js';
import { recallTool } from '../dist/agents/research/tools/recall.tool.js';
import { architectureTools } from '../dist/agents/system-architecture/tools/architecture.tools.js';
import { scrapeTools } from '../dist/agents/web-scraping/tools/scrape.tools.js';
import { watchTools } from '../dist/agents/web-scraping/tools/watch.tools.js';
import { apifyTools } from '../dist/agents/web-scraping/tools/apify.tools.js';
import { FixedClock } from '../dist/common/clock.js';
import { ToolLoopService } from '../dist/orchestrator/conversation/tool-loop.service.js';
import { LanguageModelService } from '../dist/orchestrator/llm/language-model.service.js';
import { OpenAiDriver } from '../dist/orchestrator/llm/openai.driver.js';
import { AgentRegistry } from '../dist/orchestrator/registry/agent-registry.js';
import { ModelToolRouter } from '../dist/orchestrator/router/llm/model-tool.router.js';
import { RouterService } from '../dist/orchestrator/router/router.service.js';
import { z } from 'zod';

Logger.overrideLogger(['error']);
const ROUTES = Number(process.env.BENCH_PROMPT_ROUTES ?? 2000);
const GOAL_BYTES = 6 * 1024;

// What the tool factories are given: nothing runs a handler here, so any dependency will do.
const stub = new Proxy(function () {}, { get: () => stub, apply: () => stub });
const agent = (number, name, description, tools) => ({
  manifest: { number, name, description, version: '1.0.0', configSchema: z.object({}), secrets: [], events: [] },
  tools,
});
const agents = [
  agent(1, 'business-intelligence', 'Revenue, projects, milestones and the daily digest', [
    ...projectTools(stub, stub, stub),
    ...revenueTools(stub, stub, stub),
    ...digestTools(stub, stub, stub),
  ]),
  agent(7, 'web-scraping', 'Reads web pages and sites; watches pages for changes', [
    ...scrapeTools(stub),
    ...watchTools(stub),
    ...apifyTools({ apiBase: 'http://127.0.0.1:1', vault: stub, agentNumber: 7 }),
  ]),
  agent(15, 'invoicing', 'Clients, invoices, payments', [...clientTools(stub), ...invoiceTools(stub, stub, stub)]),
  agent(18, 'research', 'Researches questions on the web and answers with sources', [
    researchTool(stub),
    summarizeUrlTool(stub),
    compareTool(stub),
    recallTool(stub),
  ]),
  agent(31, 'system-architecture', 'Shows and changes the running system', architectureTools(stub)),
  agent(32, 'password-vault', 'Stores credentials, encrypted', [...vaultTools(stub, stub), generateTool(stub)]),
];

// A model that answers at once in words: the first request of each question is what is measured.
const bodies = [];
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const body = JSON.parse(raw.toString());
    bodies.push({ bytes: raw.length, tools: body.tools?.length ?? 0 });
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        id: 'chatcmpl-bench',
        object: 'chat.completion',
        created: 0,
        model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Which one?' } }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const baseUrl = `http://127.0.0.1:${server.address().port}/v1`;

const journal = {
  rows: [],
  async record(type, before, after) {
    const row = { id: String(this.rows.length), type, before, after, appliedAt: new Date().toISOString() };
    this.rows.push(row);
    return row;
  },
  latestStates: async () => new Map(),
  get: async () => null,
  list: async () => [],
};
const memory = { save: async () => undefined, get: async () => [] };
const services = { memory: () => memory, callAgent: async () => ({ success: true }), languageModel: () => undefined };
const registry = new AgentRegistry(journal, services, { startTimeoutMs: 10_000, drainTimeoutMs: 1000 });
await registry.boot(agents);

const config = {
  router: { confidence: 0.6 },
  llm: { tools: { maxSteps: 5, candidates: 8, progressSeconds: 3 } },
};
const model = new LanguageModelService(
  new OpenAiDriver({ apiKey: 'sk-bench', baseUrl, timeoutMs: 10_000 }, 'bench-model'),
  { assertAvailable: async () => undefined, warningAfterCall: async () => undefined },
  { record: async () => undefined },
  { timeoutMs: 10_000, maxRetries: 0 },
);
const withModel = new RouterService(registry, config, new ModelToolRouter(model));
await withModel.retrain();
const loop = new ToolLoopService(stub, registry, new FixedClock(0), config, model);

const questions = [
  'how are things looking money-wise',
  'could you chase whoever still owes me',
  'what changed on the competitor site lately',
  'who did I bill the most this year',
  'invoice every client whose milestone finished this week and send me the total',
  'check the pricing page of example.com and then tell me what changed',
  'list all my projects and send me the overdue ones',
  'is anything broken right now',
];
console.log(`\nprompt size — first request to the model per one-line question (goal <= ${GOAL_BYTES} bytes)`);
let largest = 0;
for (const q of questions) {
  const before = bodies.length;
  const d = await withModel.route(q, { userId: undefined });
  if (d.loop) await loop.start(q, d.loop, { userId: undefined, caller: { kind: 'api', direct: true } });
  const sent = bodies[before];
  if (!sent) {
    console.log(`  ${'(local, no model)'.padStart(18)}  ${q}`);
    continue;
  }
  largest = Math.max(largest, sent.bytes);
  const how = d.loop ? 'tool loop' : 'one tool';
  console.log(`  ${String(sent.bytes).padStart(6)} bytes, ${sent.tools} tools (${how})  ${q}`);
}
console.log(
  `  largest ${largest} bytes, catalog ${registry.catalog().length} tools: ${largest <= GOAL_BYTES ? 'within' : 'OVER'} the goal`,
);

// Routing latency over the real catalog, local only.
const local = new RouterService(registry, config, undefined);
await local.retrain();
const messages = ['#15 list_invoices', 'what did we make last month', 'add client Acme', ...questions];
for (let i = 0; i < 100; i++) await local.route(messages[i % messages.length]);
const latencies = [];
for (let i = 0; i < ROUTES; i++) {
  const s = performance.now();
  await local.route(messages[i % messages.length]);
  latencies.push(performance.now() - s);
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
console.log(
  `\nlocal routing over ${registry.catalog().length} tools — ${ROUTES} decisions: p50 ${pct(50)} ms, p99 ${pct(99)} ms`,
);

await registry.shutdown();
server.close();
