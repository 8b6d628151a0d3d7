import type { AgentWorkflowEntity } from '../../database/entities/index.js';

/** A workflow as the API and events show it. */
export interface WorkflowView {
  id: string;
  sourceAgentId: string | null;
  targetAgentId: string | null;
  triggerConditions: Record<string, unknown>;
  actions: Record<string, unknown>;
  isActive: boolean;
  createdAt: string;
}

export function toWorkflowView(w: AgentWorkflowEntity): WorkflowView {
  return {
    id: w.id,
    sourceAgentId: w.sourceAgentId,
    targetAgentId: w.targetAgentId,
    triggerConditions: w.triggerConditions ?? {},
    actions: w.actions ?? {},
    isActive: w.isActive ?? true,
    createdAt: w.createdAt.toISOString(),
  };
}
