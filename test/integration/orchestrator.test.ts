import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { AgentResponse } from '../../src/sdk/agent.contract.js';
import { SystemEvents } from '../../src/orchestrator/events/system-events.js';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { InteractionRepository } from '../../src/orchestrator/executor/interaction.repository.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { MemoryService } from '../../src/orchestrator/memory/memory.service.js';
import { AgentHandles } from '../../src/orchestrator/registry/agent-handles.js';
import { AgentRegistry } from '../../src/orchestrator/registry/agent-registry.js';
import { AgentRepository } from '../../src/orchestrator/registry/agent.repository.js';
import { WorkflowEngine } from '../../src/orchestrator/workflows/workflow.engine.js';
import { WorkflowsService } from '../../src/orchestrator/workflows/workflows.service.js';
import { waitFor } from '../support/wait.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { notesAgent } from '../support/test-agents.js';

describe('orchestrator: registry, MCP executor, memory, hot swap (PGlite)', () => {
  let o: OrchestratorApp;
  let registry: AgentRegistry;
  let executor: ExecutorService;
  let userId: string;
  const run = (agentNumber: number, tool: string, parameters: Record<string, unknown> = {}) =>
    executor.execute({ userId, agentNumber, tool, parameters });

  beforeAll(async () => {
    o = await startOrchestrator();
    registry = o.app.get(AgentRegistry);
    executor = o.app.get(ExecutorService);
    userId = (await o.app.get(UserRepository).upsertByEmail('orchestrator@example.test')).id;
  });
  afterAll(async () => o?.close());

  it('serves both test agents with their tools', () => {
    expect(registry.list().map((s) => [s.agentNumber, s.name, s.state, s.tools.length])).toEqual([
      [90, 'notes', 'active', 3],
      [91, 'calculator', 'active', 5],
    ]);
    const add = registry.catalog().find((t) => t.name === 'add');
    expect(add?.inputSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
    });
    expect(add?.examples).toHaveLength(5);
  });

  it('calls a tool over MCP and answers in the seed AgentResponse shape, recording the interaction', async () => {
    const res = await run(91, 'divide', { a: 9, b: 3 });
    expect(res).toMatchObject({ success: true, data: 3, text: '9 / 3 = 3' });
    expect(res.metadata?.executionTime).toEqual(expect.any(Number));
    expect(res.metadata?.resourcesUsed).toEqual(['agent#91@1.0.0', 'tool:divide']);
    const [last] = await o.app.get(InteractionRepository).listForUser(userId, 1);
    expect(last).toMatchObject({
      executionStatus: 'success',
      responseText: '9 / 3 = 3',
      executionTimeMs: expect.any(Number),
    });
  });

  it('answers bad calls with a clear error, not an exception', async () => {
    expect(await run(91, 'divide', { a: 1, b: 0 })).toMatchObject({ success: false, error: 'cannot divide by zero' });
    const wrongType = await run(91, 'divide', { a: 'one', b: 2 });
    expect(wrongType.success).toBe(false);
    expect(wrongType.error).toMatch(/a/);
    expect(await run(91, 'sqrt', { a: 4 })).toMatchObject({
      success: false,
      error: expect.stringContaining('has no tool "sqrt"'),
    });
    expect(await run(42, 'anything')).toMatchObject({ success: false, error: 'there is no agent #42' });
  });

  it('caches results of cacheable tools per user and parameters', async () => {
    const first = await run(91, 'add', { a: 2, b: 40 });
    const second = await run(91, 'add', { b: 40, a: 2 });
    expect(first.metadata?.cached).toBeUndefined();
    expect(second.metadata?.cached).toBe(true);
    expect(second.data).toEqual(first.data);
    const other = await run(91, 'add', { a: 3, b: 40 });
    expect((other.data as { computedTimes: number }).computedTimes).toBe(
      (first.data as { computedTimes: number }).computedTimes + 1,
    );
  });

  it('lets one agent call another through MCP, recording MCPMessage envelopes and agent:message events', async () => {
    const messages: unknown[] = [];
    const off = o.app.get(SystemEvents).on('agent:message', (_u, m) => messages.push(m));
    const res = await run(91, 'note_result', { a: 20, b: 22 });
    off();
    expect(res).toMatchObject({ success: true, text: 'saved 42 with notes' });
    expect(messages).toEqual([
      expect.objectContaining({ from: '#91 calculator', to: '#90 notes', type: 'command', requiresResponse: true }),
      expect.objectContaining({ from: '#90 notes', to: '#91 calculator', type: 'response' }),
    ]);
    expect((await run(90, 'recall')).data).toContain('sum is 42');
  });

  it('returns memory by relevance, never expired, and purges expired rows', async () => {
    const memory = o.app.get(MemoryService);
    const ds = o.app.get(DataSource);
    const [row] = await ds.query<{ id: string }[]>(`SELECT id FROM agents WHERE user_id = $1 AND agent_number = 90`, [
      userId,
    ]);
    await memory.save(row!.id, 'pref', 'low', { relevance: 0.2 });
    await memory.save(row!.id, 'pref', 'high', { relevance: 0.9 });
    await memory.save(row!.id, 'pref', 'fleeting', { ttlSeconds: 1, relevance: 5 });
    expect(await memory.get(row!.id, 'pref')).toEqual(['fleeting', 'high', 'low']);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await memory.get(row!.id, 'pref')).toEqual(['high', 'low']);
    expect(await memory.pruneExpired()).toBeGreaterThanOrEqual(1);
    const rows = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM agent_memory WHERE memory_type = 'pref'`,
    );
    expect(rows[0]?.n).toBe(2);
  });

  it('hot-swaps to a new version under a stream of concurrent requests without failing one', async () => {
    registry.addSpec({ kind: 'builtin', definition: notesAgent('2.0.0') });
    const results: AgentResponse[] = [];
    let stop = false;
    const streams = Array.from({ length: 8 }, async () => {
      while (!stop) results.push(await run(90, 'whoami', { delayMs: 20 }));
    });
    // Requests are flowing before the swap, and go on flowing after it, however fast the machine is.
    const until = async (enough: () => boolean) => {
      while (!enough()) await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => results.length >= 10);
    const view = await registry.upgrade(90, '2.0.0');
    const swappedAt = results.length;
    await until(() => results.length >= swappedAt + 10);
    stop = true;
    await Promise.all(streams);

    expect(view).toMatchObject({ version: '2.0.0', state: 'active' });
    expect(results.filter((r) => !r.success)).toEqual([]);
    const versions = results.map((r) => (r.data as { version: string }).version);
    expect(versions).toContain('1.0.0');
    expect(versions.at(-1)).toBe('2.0.0');
  });

  it('keeps the old version serving when the new one fails its health check', async () => {
    registry.addSpec({ kind: 'builtin', definition: notesAgent('3.0.0', { broken: true }) });
    await expect(registry.upgrade(90, '3.0.0')).rejects.toThrow(/did not start: storage unreachable/);
    expect(registry.get(90)).toMatchObject({ version: '2.0.0', state: 'active' });
    expect((await run(90, 'whoami')).text).toBe('hello from notes 2.0.0');
  });

  it('reconfigures with a restart, refuses a bad configuration, and rolls a change back', async () => {
    await expect(registry.reconfigure(90, { greeting: 42 })).rejects.toThrow(/greeting/);
    await registry.reconfigure(90, { greeting: 'ahoy' });
    expect((await run(90, 'whoami')).text).toBe('ahoy from notes 2.0.0');

    const [latest] = await registry.history('owner', 1);
    expect(latest).toMatchObject({
      type: 'agent.reconfigure',
      before: { config: {} },
      after: { config: { greeting: 'ahoy' } },
    });
    await registry.rollback(latest!.id);
    expect((await run(90, 'whoami')).text).toBe('hello from notes 2.0.0');

    const upgrade = (await registry.history('owner', 10)).find((m) => m.type === 'agent.upgrade')!;
    await registry.rollback(upgrade.id);
    expect((await run(90, 'whoami')).text).toBe('hello from notes 1.0.0');
  });

  it('runs a workflow action exactly once, through a forced retry and a repeated event', async () => {
    const agents = o.app.get(AgentRepository);
    const notes = await agents.ensureForUser(userId, 90, 'notes', '');
    const calc = await agents.ensureForUser(userId, 91, 'calculator', '');
    const triggered: unknown[] = [];
    const off = o.app.get(SystemEvents).on('workflow:triggered', (_u, p) => triggered.push(p));
    const wf = await o.app.get(WorkflowsService).create(userId, {
      sourceAgentId: notes.id,
      targetAgentId: calc.id,
      triggerConditions: { event: 'note.saved', when: { length: { gte: 3 } } },
      actions: { tool: 'tally', parameters: { amount: '{{payload.length}}', failFirst: true } },
    });
    const engine = o.app.get(WorkflowEngine);

    expect((await run(90, 'remember', { text: 'ab' })).success).toBe(true); // too short: no trigger
    expect((await run(90, 'remember', { text: 'abcd' })).success).toBe(true);
    await engine.settled();
    expect(triggered).toHaveLength(1);

    const ds = o.app.get(DataSource);
    await waitFor(async () => {
      const rows = await ds.query<{ status: string }[]>(`SELECT status FROM workflow_runs WHERE workflow_id = $1`, [
        wf.id,
      ]);
      return rows[0]?.status === 'succeeded';
    }, 30_000);
    const runs = await ds.query<{ attempts: number; event_key: string }[]>(
      `SELECT attempts, event_key FROM workflow_runs WHERE workflow_id = $1`,
      [wf.id],
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]?.attempts).toBe(2); // the first attempt failed after writing
    expect((await run(91, 'total')).data).toEqual({ total: 4 });

    // The same event delivered again queues nothing new.
    const eventKey = runs[0]!.event_key;
    expect(await engine.onEvent(userId, 90, 'note.saved', { text: 'abcd', length: 4 }, eventKey)).toBe(0);
    await new Promise((r) => setTimeout(r, 700));
    expect((await run(91, 'total')).data).toEqual({ total: 4 });
    off();
  });

  it('disables and enables an agent at run time', async () => {
    await registry.disable(91);
    expect(await run(91, 'divide', { a: 1, b: 1 })).toMatchObject({
      success: false,
      error: 'agent #91 calculator is disabled',
    });
    expect(registry.catalog().some((t) => t.agentNumber === 91)).toBe(false);
    await registry.enable(91);
    expect((await run(91, 'divide', { a: 1, b: 1 })).success).toBe(true);
  });
});

describe('the seed MCPAgent lifecycle on a registered agent', () => {
  let o: OrchestratorApp;
  let userId: string;
  beforeAll(async () => {
    o = await startOrchestrator();
    userId = (await o.app.get(UserRepository).upsertByEmail('lifecycle@example.test')).id;
  });
  afterAll(async () => o?.close());

  it('initialize, execute, processVoiceCommand, sendMessage, updateConfig, saveMemory/getMemory, cleanup', async () => {
    const handles = o.app.get(AgentHandles);
    const notes = handles.for(userId, 'notes');
    const calc = handles.for(userId, 91);
    expect([notes.agentNumber, notes.name, calc.name]).toEqual([90, 'notes', 'calculator']);

    await notes.initialize({ greeting: 'hi' });
    expect(await notes.processVoiceCommand('which version are you')).toBe('hi from notes 1.0.0');
    await notes.updateConfig({ greeting: 'hey' });
    expect((await notes.execute({ action: 'whoami', parameters: {}, userId, requestId: 'r-1' })).text).toBe(
      'hey from notes 1.0.0',
    );

    const reply = await calc.sendMessage('notes', { tool: 'remember', parameters: { text: 'from calc' } });
    expect(reply).toMatchObject({ success: true, text: 'noted: from calc' });
    const envelopes = (await calc.getMemory('mcp.message')) as { type: string; to: string }[];
    expect(envelopes.map((m) => m.type).sort()).toEqual(['command', 'response']);

    await notes.saveMemory('pref', { theme: 'dark' }, 60);
    // Less relevant comes later, however new.
    await notes.saveMemory('pref', { theme: 'light' }, undefined, 0.1);
    expect(await notes.getMemory('pref')).toEqual([{ theme: 'dark' }, { theme: 'light' }]);

    await notes.cleanup();
    expect(o.app.get(AgentRegistry).get(90)?.state).toBe('disabled');
    expect(await notes.processVoiceCommand('which version are you')).toMatch(/disabled/);
  });
});
