import { Injectable } from '@nestjs/common';
import { notFound } from '../../common/errors.js';
import { SystemEvents } from '../events/system-events.js';
import { WorkflowRepository, type WorkflowFields } from './workflow.repository.js';
import { WorkflowValidator } from './workflow-validator.js';
import { toWorkflowView, type WorkflowView } from './workflow.view.js';

/** A user's agent-to-agent workflows (the seed's `agent_workflows` rows). */
@Injectable()
export class WorkflowsService {
  constructor(
    private readonly workflows: WorkflowRepository,
    private readonly validator: WorkflowValidator,
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

  /** Saves a workflow only if it can run: its agents, tool and parameters are checked first. */
  async create(userId: string, fields: WorkflowFields): Promise<WorkflowView> {
    await this.validator.assertRunnable(userId, fields);
    const view = toWorkflowView(await this.workflows.create(userId, fields));
    this.events.emit('system:workflow_updated', userId, view);
    return view;
  }

  async update(userId: string, id: string, fields: Partial<WorkflowFields>): Promise<WorkflowView> {
    const current = await this.workflows.findForUser(userId, id);
    if (!current) throw notFound('workflow', id);
    await this.validator.assertRunnable(userId, fields, {
      targetAgentId: current.targetAgentId ?? undefined,
      actions: current.actions ?? undefined,
    });
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
}
