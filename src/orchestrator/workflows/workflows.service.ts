import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, notFound } from '../../common/errors.js';
import { SystemEvents } from '../events/system-events.js';
import { AgentRepository } from '../registry/agent.repository.js';
import { WorkflowRepository, type WorkflowFields } from './workflow.repository.js';
import { toWorkflowView, type WorkflowView } from './workflow.view.js';

/** A user's agent-to-agent workflows (the seed's `agent_workflows` rows). */
@Injectable()
export class WorkflowsService {
  constructor(
    private readonly workflows: WorkflowRepository,
    private readonly agents: AgentRepository,
    private readonly events: SystemEvents,
  ) {}

  async list(userId: string): Promise<WorkflowView[]> {
    return (await this.workflows.listForUser(userId)).map(toWorkflowView);
  }

  async get(userId: string, id: string): Promise<WorkflowView> {
    const workflow = await this.workflows.findForUser(userId, id);
    if (!workflow) throw notFound('workflow', id);
    return toWorkflowView(workflow);
  }

  async create(userId: string, fields: WorkflowFields): Promise<WorkflowView> {
    await this.assertAgentsOwned(userId, fields);
    const view = toWorkflowView(await this.workflows.create(userId, fields));
    this.events.emit('system:workflow_updated', userId, view);
    return view;
  }

  async update(userId: string, id: string, fields: Partial<WorkflowFields>): Promise<WorkflowView> {
    if (!(await this.workflows.findForUser(userId, id))) throw notFound('workflow', id);
    await this.assertAgentsOwned(userId, fields);
    const workflow = await this.workflows.update(userId, id, fields);
    if (!workflow) throw notFound('workflow', id);
    const view = toWorkflowView(workflow);
    this.events.emit('system:workflow_updated', userId, view);
    return view;
  }

  async delete(userId: string, id: string): Promise<void> {
    const workflow = await this.workflows.findForUser(userId, id);
    if (!workflow || !(await this.workflows.delete(userId, id))) throw notFound('workflow', id);
    this.events.emit('system:workflow_updated', userId, { ...toWorkflowView(workflow), deleted: true });
  }

  /** Both ends of a workflow must be agents of the same user. */
  private async assertAgentsOwned(userId: string, fields: Partial<WorkflowFields>): Promise<void> {
    const problems: Record<string, string> = {};
    for (const key of ['sourceAgentId', 'targetAgentId'] as const) {
      const id = fields[key];
      if (id !== undefined && (await this.agents.countOwned(userId, [id])) === 0) {
        problems[key] = `no agent ${id} among your agents`;
      }
    }
    if (Object.keys(problems).length > 0) {
      throw new DomainError(ErrorCode.Invalid, 'workflow refers to unknown agents', problems);
    }
  }
}
