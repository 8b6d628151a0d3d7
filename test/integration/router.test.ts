import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AgentRegistry } from '../../src/orchestrator/registry/agent-registry.js';
import { isExecutable } from '../../src/orchestrator/router/route-decision.js';
import { RouterService } from '../../src/orchestrator/router/router.service.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';

describe('router over the test agents', () => {
  let o: OrchestratorApp;
  let router: RouterService;

  beforeAll(async () => {
    o = await startOrchestrator();
    router = o.app.get(RouterService);
  });
  afterAll(async () => o?.close());

  it.each([
    ['#91 add 2 and 3', 91, 'add', { a: 2, b: 3 }],
    ['/paios 91 divide 10 by 4', 91, 'divide', { a: 10, b: 4 }],
    ['@calculator what is 4 plus 5', 91, 'add', { a: 4, b: 5 }],
    ['@notes remember to call Alice', 90, 'remember', { text: 'call Alice' }],
  ])('routes the explicitly addressed "%s"', async (text, agentNumber, tool, parameters) => {
    const d = await router.route(text);
    expect(d).toMatchObject({ agentNumber, tool, parameters, via: 'address' });
    expect(isExecutable(d)).toBe(true);
  });

  it.each([
    ['what is 4 plus 5', 91, 'add', { a: 4, b: 5 }],
    ['divide 9 by 3', 91, 'divide', { a: 9, b: 3 }],
    ['which version are you', 90, 'whoami', {}],
    ['show my notes', 90, 'recall', {}],
    ['jot down renew the domain', 90, 'remember', { text: 'renew the domain' }],
  ])('routes "%s" by the local model', async (text, agentNumber, tool, parameters) => {
    const d = await router.route(text);
    expect(d).toMatchObject({ agentNumber, tool, parameters, via: 'nlu' });
    expect(d.confidence).toBeGreaterThanOrEqual(0.6);
    expect(d.scores[0]).toMatchObject({ agentNumber, tool });
  });

  it('uses the agent a channel is bound to', async () => {
    expect(await router.route('say hello', { channelAgent: 90 })).toMatchObject({
      agentNumber: 90,
      tool: 'whoami',
      via: 'channel',
    });
  });

  it('extracts money, dates, emails and URLs as entities', async () => {
    const d = await router.route('send bob@example.com the $150 report from https://example.com/r tomorrow');
    expect(d.entities.map((e) => e.type)).toEqual(expect.arrayContaining(['email', 'money', 'url', 'date']));
    expect(d.entities.find((e) => e.type === 'money')).toMatchObject({ value: 150, currency: 'USD' });
  });

  it('asks back instead of guessing, with the best choices', async () => {
    const unknown = await router.route('xyzzy plugh frobnicate');
    expect(unknown).toMatchObject({ agentNumber: null, tool: null, via: 'none' });
    // Honest: no agent does that, and here is what they do.
    expect(unknown.clarification?.question).toMatch(/^I don't know which agent can do that: none of mine does/);
    expect(unknown.clarification?.question).toContain('#90 notes');
    expect(isExecutable(unknown)).toBe(false);

    const missing = await router.route('#91 add 2');
    expect(missing).toMatchObject({ agentNumber: 91, tool: 'add', parameters: { a: 2 }, missing: ['b'] });
    expect(missing.clarification?.question).toContain('b');

    expect((await router.route('#42 do things')).clarification?.question).toMatch(/^There is no agent #42/);
  });

  it.each(['help', 'what can you do?', 'Hi!', 'how does this work', 'thanks'])(
    'answers "%s" with what each agent does, handing it to no tool',
    async (text) => {
      const d = await router.route(text);
      expect(d).toMatchObject({ agentNumber: null, tool: null, via: 'none' });
      expect(isExecutable(d)).toBe(false);
      const said = d.clarification?.question ?? '';
      expect(said).toMatch(/^Here is what I can do:/);
      expect(said).toContain('#90 notes');
      expect(said).toContain('#91 calculator');
    },
  );

  it('still routes a request that only starts like a greeting', async () => {
    expect(await router.route('hi, what is 4 plus 5')).toMatchObject({ agentNumber: 91, tool: 'add' });
  });

  it('retrains when the registry changes', async () => {
    const registry = o.app.get(AgentRegistry);
    await registry.disable(91);
    await router.retrain();
    const d = await router.route('what is 4 plus 5');
    expect(d.agentNumber).not.toBe(91);
    await registry.enable(91);
    await router.retrain();
    expect((await router.route('what is 4 plus 5')).agentNumber).toBe(91);
  });
});

describe('router: tools named outright', () => {
  let o: OrchestratorApp;
  beforeAll(async () => {
    o = await startOrchestrator();
  });
  afterAll(async () => o?.close());

  it('takes the tool named right after the address', async () => {
    const router = o.app.get(RouterService);
    expect(await router.route('@notes recall')).toMatchObject({ agentNumber: 90, tool: 'recall', confidence: 1 });
    expect(await router.route('#91 note result 2 and 5')).toMatchObject({
      tool: 'note_result',
      parameters: { a: 2, b: 5 },
    });
    expect(await router.route('#91 note_result 2 and 5')).toMatchObject({ tool: 'note_result' });
  });
});
