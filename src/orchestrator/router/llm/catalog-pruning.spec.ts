import { describe, expect, it } from '@jest/globals';
import type { ToolInfo } from '../../registry/agent-spec.js';
import { pruneCatalog } from './catalog-pruning.js';

const tool = (agentNumber: number, name: string, description: string, sensitive = false): ToolInfo => ({
  agentNumber,
  agentName: `agent-${agentNumber}`,
  name,
  description,
  inputSchema: { type: 'object' },
  examples: [],
  sensitive,
  annotations: {},
});

describe('the catalog offered to the model', () => {
  const catalog = [
    tool(15, 'create_invoice', 'Create an invoice for a client'),
    tool(15, 'list_invoices', 'List invoices'),
    tool(1, 'revenue', 'Revenue over a period'),
    tool(32, 'reveal', 'Reveal a stored password', true),
    tool(7, 'scrape', 'Fetch a web page'),
  ];

  it("keeps the local model's best candidates first, in their order, and no more than asked", () => {
    const scores = [
      { agentNumber: 1, tool: 'revenue', score: 0.4 },
      { agentNumber: 15, tool: 'list_invoices', score: 0.3 },
    ];
    expect(pruneCatalog(catalog, scores, 'what came in', 2).map((t) => t.name)).toEqual(['revenue', 'list_invoices']);
  });

  it('fills the places left with tools that share words with the message', () => {
    expect(pruneCatalog(catalog, [], 'please fetch that web page', 1).map((t) => t.name)).toEqual(['scrape']);
  });

  it('never offers a sensitive tool, even when the local model scored it', () => {
    const scores = [{ agentNumber: 32, tool: 'reveal', score: 0.5 }];
    expect(pruneCatalog(catalog, scores, 'reveal it').map((t) => t.name)).not.toContain('reveal');
  });
});
