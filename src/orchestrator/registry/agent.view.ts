import type { AgentEntity } from '../../database/entities/index.js';

/** An agent as the API and events show it. */
export interface AgentView {
  id: string;
  agentNumber: number;
  name: string;
  description: string | null;
  config: Record<string, unknown>;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toAgentView(a: AgentEntity): AgentView {
  return {
    id: a.id,
    agentNumber: a.agentNumber,
    name: a.name,
    description: a.description,
    config: a.config ?? {},
    isActive: a.isActive ?? true,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
