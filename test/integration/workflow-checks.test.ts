import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ErrorCode } from '../../src/common/errors.js';
import { SystemEvents } from '../../src/orchestrator/events/system-events.js';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { AgentRepository } from '../../src/orchestrator/registry/agent.repository.js';
import { WorkflowEngine } from '../../src/orchestrator/workflows/workflow.engine.js';
import { WorkflowsService } from '../../src/orchestrator/workflows/workflows.service.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';
import { waitFor } from '../support/wait.js';

/**
 * Workflows that could never run are refused when saved, naming the problem; a run that fails
 * after its last retry is told to its owner in chat (the console here: their Socket.io clients).
 */
describe('workflow checks: refused when they could never run, owner told when a run fails for good', () => {
  let chat: ChatApp;
  let userId: string;
  let workflows: WorkflowsService;
  let ids: { notes: string; calc: string; ghost: string };

  beforeAll(async () => {
    chat = await startChatApp({});
    userId = (await chat.app.get(UserRepository).upsertByEmail('workflows@example.test')).id;
    const agents = chat.app.get(AgentRepository);
    ids = {
      notes: (await agents.ensureForUser(userId, 90, 'notes', '')).id,
      calc: (await agents.ensureForUser(userId, 91, 'calculator', '')).id,
      // A row of the user's, for an agent number this paios does not run.
      ghost: (await agents.create(userId, { agentNumber: 42, name: 'ghost' })).id,
    };
    workflows = chat.app.get(WorkflowsService);
  }, 90_000);
  afterAll(async () => chat?.close());

  const create = (actions: Record<string, unknown>, targetAgentId = ids.calc) =>
    workflows.create(userId, {
      sourceAgentId: ids.notes,
      targetAgentId,
      triggerConditions: { event: 'note.saved' },
      actions,
    });

  it('refuses a missing agent, an unknown tool and parameters the tool refuses, naming each', async () => {
    await expect(create({ tool: 'add', parameters: { a: 1, b: 2 } }, ids.ghost)).rejects.toMatchObject({
      code: ErrorCode.Invalid,
      message: expect.stringContaining('agent #42 does not run in this paios'),
      details: { targetAgentId: 'agent #42 does not run in this paios (agents: #90, #91)' },
    });
    await expect(create({ tool: 'multiply', parameters: { a: 1, b: 2 } })).rejects.toMatchObject({
      code: ErrorCode.Invalid,
      details: { 'actions.tool': expect.stringMatching(/^agent #91 calculator has no tool "multiply" \(tools: add, /) },
    });
    await expect(create({ tool: 'divide', parameters: { a: 'ten', b: 2 } })).rejects.toMatchObject({
      code: ErrorCode.Invalid,
      details: { 'actions.parameters.a': 'divide: must be number' },
    });
    await expect(create({ tool: 'divide', parameters: { a: 1 } })).rejects.toMatchObject({
      message: expect.stringContaining('actions.parameters.b: divide needs this parameter'),
    });
    // Changing a saved workflow is checked the same way.
    const ok = await create({ tool: 'divide', parameters: { a: '{{payload.length}}', b: 2 } });
    await expect(
      workflows.update(userId, ok.id, { actions: { tool: 'divide', parameters: {} } }),
    ).rejects.toMatchObject({
      details: { 'actions.parameters.a': expect.any(String), 'actions.parameters.b': expect.any(String) },
    });
    await expect(workflows.update(userId, ok.id, { targetAgentId: ids.ghost })).rejects.toMatchObject({
      details: { targetAgentId: expect.stringContaining('#42 does not run') },
    });
    // Only the valid one was saved, unchanged.
    expect((await workflows.list(userId)).map((w) => w.actions)).toEqual([
      { tool: 'divide', parameters: { a: '{{payload.length}}', b: 2 } },
    ]);
    await workflows.delete(userId, ok.id);
  });

  it('tells the owner in chat once, after the last retry, what failed and why', async () => {
    const wf = await create({ tool: 'divide', parameters: { a: '{{payload.length}}', b: 0 } });
    const told: string[] = [];
    const off = chat.app.get(SystemEvents).on('chat:message', (to, m) => to === userId && told.push(m.text));
    try {
      const saved = await chat.app
        .get(ExecutorService)
        .execute({ userId, agentNumber: 90, tool: 'remember', parameters: { text: 'abcd' } });
      expect(saved.success).toBe(true);
      await chat.app.get(WorkflowEngine).settled();
      const ds = chat.app.get(DataSource);
      await waitFor(async () => {
        const [run] = await ds.query<{ status: string; attempts: number }[]>(
          `SELECT status, attempts FROM workflow_runs WHERE workflow_id = $1`,
          [wf.id],
        );
        return run?.status === 'failed' && run.attempts === 3;
      }, 20_000);
      await waitFor(() => told.length > 0, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(told).toHaveLength(1);
      expect(told[0]).toContain(
        'when #90 raised **note.saved**, #91 calculator divide failed 3 times: cannot divide by zero',
      );
      expect(told[0]).toContain(wf.id);
    } finally {
      off();
      await workflows.delete(userId, wf.id);
    }
  }, 40_000);
});
