import { Injectable, Module } from '@nestjs/common';
import { z } from 'zod';
import { defineAgent, defineTool, type AgentDefinition } from '../../src/sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../src/sdk/builtin-agent.decorator.js';
import { ToolError } from '../../src/sdk/tool-error.js';

/** Test agent #90 "notes", in as many versions as a test needs; `broken` fails its health check. */
export function notesAgent(version = '1.0.0', opts: { broken?: boolean } = {}): AgentDefinition {
  return defineAgent({
    manifest: {
      number: 90,
      name: 'notes',
      description: 'Keeps short notes for you',
      version,
      configSchema: z.object({ greeting: z.string().default('hello') }),
      secrets: [],
      events: ['note.saved'],
    },
    healthCheck: async () => {
      if (opts.broken) throw new Error('storage unreachable');
    },
    tools: [
      defineTool({
        name: 'remember',
        description: 'Save a note',
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
        input: z.object({ text: z.string().min(1), ttlSeconds: z.number().int().positive().optional() }),
        examples: [
          'remember to call Alice',
          'note that the meeting moved',
          'save a note about the launch',
          'jot down buy milk',
          'make a note: renew domain',
        ],
        handler: async ({ text, ttlSeconds }, ctx) => {
          await ctx.memory.save('note', { text }, { ttlSeconds });
          return { text: `noted: ${text}`, events: [{ name: 'note.saved', payload: { text, length: text.length } }] };
        },
      }),
      defineTool({
        name: 'recall',
        description: 'List saved notes',
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
        input: z.object({}),
        examples: [
          'what are my notes',
          'show my notes',
          'list the notes',
          'what did I ask you to remember',
          'read back my notes',
        ],
        handler: async (_p, ctx) => {
          const notes = (await ctx.memory.get('note')) as { text: string }[];
          return { text: notes.map((n) => n.text).join('\n') || 'no notes', data: notes.map((n) => n.text) };
        },
      }),
      defineTool({
        name: 'whoami',
        description: 'Tell the version and greeting of this notes agent',
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
        input: z.object({ delayMs: z.number().int().min(0).max(5000).default(0) }),
        examples: ['which version are you', 'who are you', 'say hello', 'greet me', 'what version of notes is running'],
        handler: async ({ delayMs }, ctx) => {
          if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
          return {
            text: `${String(ctx.config.greeting)} from notes ${version}`,
            data: { version, greeting: ctx.config.greeting },
          };
        },
      }),
    ],
  });
}

/** Test agent #91 "calculator": a cacheable tool, a refusing tool, and a call to #90 through MCP. */
export function calculatorAgent(): AgentDefinition {
  let additions = 0;
  // A side effect that must happen once per idempotency key, even when the call is repeated.
  const ledger = new Map<string, number>();
  const failedOnce = new Set<string>();
  const total = () => [...ledger.values()].reduce((a, b) => a + b, 0);
  return defineAgent({
    manifest: {
      number: 91,
      name: 'calculator',
      description: 'Adds and divides numbers',
      version: '1.0.0',
      configSchema: z.object({}),
      secrets: [],
      events: [],
    },
    tools: [
      defineTool({
        name: 'add',
        description: 'Add two numbers',
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
        input: z.object({ a: z.number(), b: z.number() }),
        cacheTtlSeconds: 60,
        examples: ['add 2 and 3', 'what is 4 plus 5', 'sum 10 and 20', 'plus 7 and 8', 'calculate 1 + 1'],
        handler: async ({ a, b }) => {
          additions++;
          return { text: `${a} + ${b} = ${a + b}`, data: { sum: a + b, computedTimes: additions } };
        },
      }),
      defineTool({
        name: 'divide',
        description: 'Divide one number by another',
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
        input: z.object({ a: z.number(), b: z.number() }),
        examples: ['divide 10 by 2', 'what is 9 divided by 3', 'split 100 into 4', '12 over 4', 'ratio of 8 to 2'],
        handler: async ({ a, b }) => {
          if (b === 0) throw new ToolError('cannot divide by zero');
          return { text: `${a} / ${b} = ${a / b}`, data: a / b };
        },
      }),
      defineTool({
        name: 'tally',
        description: 'Add an amount to the running tally',
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
        input: z.object({ amount: z.number(), failFirst: z.boolean().default(false) }),
        examples: ['add 5 to the tally', 'tally 10', 'count 3 more', 'put 7 on the tally', 'increase the tally by 2'],
        handler: async ({ amount, failFirst }, ctx) => {
          const key = ctx.idempotencyKey ?? ctx.requestId;
          if (!ledger.has(key)) ledger.set(key, amount);
          // Fails after its side effect, as a crash between the write and the reply would.
          if (failFirst && !failedOnce.has(key)) {
            failedOnce.add(key);
            throw new ToolError('transient failure after writing');
          }
          return { text: `tally is ${total()}`, data: { total: total() } };
        },
      }),
      defineTool({
        name: 'total',
        description: 'Read the running tally',
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
        input: z.object({}),
        examples: ['what is the tally', 'read the tally', 'show the total', 'how much is on the tally', 'tally total'],
        handler: async () => ({ text: `tally is ${total()}`, data: { total: total() } }),
      }),
      defineTool({
        name: 'note_result',
        description: 'Add two numbers and ask the notes agent to remember the result',
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
        input: z.object({ a: z.number(), b: z.number() }),
        examples: [
          'add 2 and 3 and remember it',
          'note the sum of 4 and 5',
          'save the total of 1 and 2',
          'compute and note 6 plus 7',
          'remember the sum of 8 and 9',
        ],
        handler: async ({ a, b }, ctx) => {
          const saved = await ctx.callAgent(90, 'remember', { text: `sum is ${a + b}` });
          if (!saved.success) throw new ToolError(`notes refused: ${saved.error}`);
          return { text: `saved ${a + b} with notes` };
        },
      }),
    ],
  });
}

@BuiltinAgent()
@Injectable()
class NotesProvider implements AgentProvider {
  definition = () => notesAgent();
}

@BuiltinAgent()
@Injectable()
class CalculatorProvider implements AgentProvider {
  private readonly def = calculatorAgent();
  definition = () => this.def;
}

/** The two test agents as built-in agents of a Nest application. */
@Module({ providers: [NotesProvider, CalculatorProvider] })
export class TestAgentsModule {}
