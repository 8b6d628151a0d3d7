// Benchmarks of the orchestrator core, on the built code in dist/:
//  1. routing decisions per second and p50/p99 latency of the local router (address parsing, the local
//     classifier, entity extraction, parameter filling) over a mix of messages;
//  2. tool calls per second through the MCP in-memory layer (client -> transport -> server ->
//     handler -> result mapping) versus calling the same handler directly: the ratio is MCP's cost.
//   npm run bench            (BENCH_ROUTES=3000 BENCH_CALLS=20000 by default)
import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { defineAgent, defineTool } from '../src/sdk/agent.contract.js';
import { AgentInstance } from '../dist/orchestrator/registry/agent-instance.js';
import { AgentRegistry } from '../dist/orchestrator/registry/agent-registry.js';
import { RouterService } from '../dist/orchestrator/router/router.service.js';

Logger.overrideLogger(['error']);

const ROUTES = Number(process.env.BENCH_ROUTES ?? 3000);
const CALLS = Number(process.env.BENCH_CALLS ?? 20000);

const add = defineTool({
  name: 'add',
  description: 'Add two numbers',
  input: z.object({ a: z.number(), b: z.number() }),
  examples: ['add 2 and 3', 'what is 4 plus 5', 'sum 10 and 20', 'plus 7 and 8', 'calculate 1 + 1'],
  handler: async ({ a, b }) => ({ text: `${a + b}`, data: { sum: a + b } }),
});
const agents = [
  defineAgent({
    manifest: {
      number: 91,
      name: 'calculator',
      description: 'numbers',
      version: '1.0.0',
      configSchema: z.object({}),
      secrets: [],
      events: [],
    },
    tools: [
      add,
      defineTool({
        name: 'divide',
        description: 'Divide',
        input: z.object({ a: z.number(), b: z.number() }),
        examples: ['divide 10 by 2', 'what is 9 divided by 3', 'split 100 into 4', '12 over 4', 'ratio of 8 to 2'],
        handler: async ({ a, b }) => ({ text: `${a / b}` }),
      }),
    ],
  }),
  defineAgent({
    manifest: {
      number: 90,
      name: 'notes',
      description: 'notes',
      version: '1.0.0',
      configSchema: z.object({}),
      secrets: [],
      events: [],
    },
    tools: [
      defineTool({
        name: 'remember',
        description: 'Save a note',
        input: z.object({ text: z.string() }),
        examples: [
          'remember to call Alice',
          'note that the meeting moved',
          'save a note about the launch',
          'jot down buy milk',
          'make a note: renew domain',
        ],
        handler: async ({ text }) => ({ text }),
      }),
      defineTool({
        name: 'recall',
        description: 'List notes',
        input: z.object({}),
        examples: [
          'what are my notes',
          'show my notes',
          'list the notes',
          'what did I ask you to remember',
          'read back my notes',
        ],
        handler: async () => ({ text: '' }),
      }),
    ],
  }),
];

// The registry journals into system_modifications; an in-memory journal keeps the database out of the figures.
const journal = {
  rows: [],
  async record(type, before, after) {
    const row = {
      id: String(this.rows.length),
      type,
      before,
      after,
      appliedAt: new Date().toISOString(),
      rollbackAvailable: true,
      userId: null,
    };
    this.rows.push(row);
    return row;
  },
  async latestStates() {
    return new Map();
  },
  async get(id) {
    return this.rows[Number(id)] ?? null;
  },
  async list() {
    return [...this.rows].reverse();
  },
};
const memory = { save: async () => undefined, get: async () => [] };
const services = { memory: () => memory, callAgent: async () => ({ success: true }) };

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// 1. Router
const registry = new AgentRegistry(journal, services, { startTimeoutMs: 10_000, drainTimeoutMs: 1000 });
await registry.boot(agents);
const router = new RouterService(registry, { router: { confidence: 0.6 } }, undefined);
await router.retrain();
const messages = [
  '#91 add 2 and 3',
  'what is 4 plus 5',
  'jot down renew the domain',
  'show my notes',
  '@calculator divide 10 by 4',
  'tell me a joke',
];
for (let i = 0; i < 200; i++) await router.route(messages[i % messages.length]); // warm-up
const latencies = [];
const t0 = performance.now();
for (let i = 0; i < ROUTES; i++) {
  const s = performance.now();
  await router.route(messages[i % messages.length]);
  latencies.push(performance.now() - s);
}
const routeSeconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);

// 2. MCP in-memory layer vs a direct call
const instance = new AgentInstance({ kind: 'builtin', definition: agents[0] }, {}, services);
await instance.start(10_000);
const meta = { userId: 'bench', requestId: 'bench' };
const ctx = {
  userId: 'bench',
  requestId: 'bench',
  config: {},
  memory,
  callAgent: services.callAgent,
  signal: new AbortController().signal,
};
for (let i = 0; i < 500; i++) await instance.call('add', { a: i, b: 1 }, meta, 10_000);
let t = performance.now();
for (let i = 0; i < CALLS; i++) await instance.call('add', { a: i, b: 1 }, meta, 10_000);
const mcpPerSecond = CALLS / ((performance.now() - t) / 1000);
t = performance.now();
for (let i = 0; i < CALLS; i++) await add.handler(add.input.parse({ a: i, b: 1 }), ctx);
const directPerSecond = CALLS / ((performance.now() - t) / 1000);
await instance.stop();
await registry.shutdown();

console.log(`\nlocal router — ${ROUTES} decisions over ${messages.length} kinds of message, Node ${process.version}`);
console.log(
  `  ${(ROUTES / routeSeconds).toFixed(0)} decisions/s; p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
);
console.log(`\ntool calls — ${CALLS} sequential calls of calculator.add`);
console.log(`  through MCP (in-memory transport): ${mcpPerSecond.toFixed(0)} calls/s`);
console.log(`  direct handler call (zod parse + handler): ${directPerSecond.toFixed(0)} calls/s`);
console.log(
  `  MCP overhead: ${(directPerSecond / mcpPerSecond).toFixed(1)}x, ${(1e6 / mcpPerSecond - 1e6 / directPerSecond).toFixed(1)} µs per call`,
);
