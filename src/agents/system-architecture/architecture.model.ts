/**
 * The running system as agent #31 draws it: what is deployed right now (the registry's slots with
 * their version, state and calls in flight), how agents trigger each other (workflows), where
 * messages come from (chat adapters) and what everything runs on (database, cache, jobs, LLM).
 */

export type NodeState = 'active' | 'starting' | 'draining' | 'stopped' | 'failed' | 'disabled';

export interface AgentNode {
  number: number;
  name: string;
  description: string;
  version: string;
  state: NodeState;
  inFlight: number;
  /** Built into paios, or an outside MCP server / plugin. */
  source: 'builtin' | 'external';
  tools: string[];
}

export interface WorkflowEdge {
  id: string;
  from: number;
  to: number;
  /** The source agent's event that triggers it. */
  event: string;
  /** The target agent's tool it runs. */
  tool: string;
  active: boolean;
}

export interface AdapterNode {
  platform: string;
  state: string;
  modes: string[];
}

export interface Infrastructure {
  database: 'PostgreSQL' | 'PGlite';
  cache: 'Redis' | 'in-process';
  jobs: 'BullMQ' | 'in-process';
  llm?: string;
}

export interface SystemModel {
  takenAt: string;
  version: string;
  agents: AgentNode[];
  workflows: WorkflowEdge[];
  adapters: AdapterNode[];
  infrastructure: Infrastructure;
}

export type ArchitectureView = { kind: 'system' } | { kind: 'agent'; agent: number } | { kind: 'workflows' };

/** Human names for agent slugs: "business-intelligence" -> "Business Intelligence". */
export function displayName(name: string): string {
  return name
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => (w.length <= 3 && w === w.toUpperCase() ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}
