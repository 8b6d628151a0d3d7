import { describe, expect, it } from '@jest/globals';
import type { SystemModel } from './architecture.model.js';
import { toMermaid } from './mermaid.js';

function model(over: Partial<SystemModel> = {}): SystemModel {
  return {
    takenAt: '2026-11-25T00:00:00Z',
    version: '1.0.0',
    agents: [],
    workflows: [],
    adapters: [],
    infrastructure: { database: 'PGlite', cache: 'in-process', jobs: 'in-process' },
    ...over,
  };
}
const agent = (number: number, state: SystemModel['agents'][number]['state'] = 'active', name = `agent-${number}`) => ({
  number,
  name,
  description: '',
  version: '1.0.0',
  state,
  inFlight: 0,
  source: 'builtin' as const,
  tools: [],
});

describe('toMermaid', () => {
  it('labels agents "#N Name" and colours them by state', () => {
    const src = toMermaid(
      model({ agents: [agent(15, 'active', 'invoicing'), agent(8, 'disabled', 'social-media'), agent(18, 'failed')] }),
    );
    expect(src).toContain('A15["#35;15 Invoicing<br/><small>v1.0.0</small>"]:::ok');
    expect(src).toContain('A8["#35;8 Social Media<br/><small>v1.0.0 · disabled</small>"]:::off');
    expect(src).toMatch(/A18\[.*failed.*\]:::bad/);
  });

  it('keeps a hostile name inside its label', () => {
    const src = toMermaid(model({ agents: [agent(70, 'active', 'x"]:::bad --> A1["pwned')] }));
    const line = src.split('\n').find((l) => l.includes('A70['))!;
    expect(line.match(/"/g)).toHaveLength(2);
    expect(src).not.toContain('--> A1');
  });

  it('stacks agents four to a row, and workflow groups below the group four before them', () => {
    const agents = Array.from({ length: 24 }, (_, i) => agent(i + 1));
    const workflows = Array.from({ length: 6 }, (_, i) => ({
      id: `w${i}`,
      from: i * 2 + 1,
      to: i * 2 + 2,
      event: 'done',
      tool: 'next',
      active: true,
    }));
    const src = toMermaid(model({ agents, workflows }));
    // 12 agents without workflows: 8 invisible links make three rows of four.
    expect(src).toContain('A13 ~~~ A17');
    expect(src).toContain('A20 ~~~ A24');
    // 6 groups (1->2, 3->4, ...): the 5th and 6th go below the ends of the 1st and 2nd.
    expect(src).toContain('A2 ~~~ A9');
    expect(src).toContain('A4 ~~~ A11');
    expect(src).toContain('A1 ==>|"done → next"| A2');
  });

  it('draws one agent with its workflow neighbours only', () => {
    const src = toMermaid(
      model({
        agents: [agent(1), agent(15), agent(31)],
        workflows: [{ id: 'w', from: 15, to: 1, event: 'invoice.paid', tool: 'record', active: false }],
      }),
      { kind: 'agent', agent: 15 },
    );
    expect(src).toContain('A15[');
    expect(src).toContain('A1[');
    expect(src).not.toContain('A31[');
    expect(src).toContain('A15 -.->|"invoice.paid → record"| A1');
    expect(src).not.toContain('Chat gateway');
  });
});
