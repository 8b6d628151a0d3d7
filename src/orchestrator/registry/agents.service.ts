import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, isUniqueViolation, notFound } from '../../common/errors.js';
import { SystemEvents } from '../events/system-events.js';
import { AgentRegistry } from './agent-registry.js';
import { AgentRepository, type AgentFields } from './agent.repository.js';
import { toAgentView, type AgentView } from './agent.view.js';

/** A user's agent configurations (the seed's `agents` rows). */
@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentRepository,
    private readonly events: SystemEvents,
    private readonly registry: AgentRegistry,
  ) {}

  /**
   * The user's agents: every built-in agent that serves them (its row, with their config, created on
   * first use, as a call to it would) and the ones they added.
   */
  async list(userId: string): Promise<AgentView[]> {
    const builtin = this.registry
      .list()
      .filter((s) => s.source === 'builtin')
      .map((s) => ({ agentNumber: s.agentNumber, name: s.name, description: s.description }));
    await this.agents.ensureManyForUser(userId, builtin);
    return (await this.agents.listForUser(userId)).map(toAgentView);
  }

  async get(userId: string, id: string): Promise<AgentView> {
    const agent = await this.agents.findForUser(userId, id);
    if (!agent) throw notFound('agent', id);
    return toAgentView(agent);
  }

  async create(userId: string, fields: AgentFields): Promise<AgentView> {
    try {
      const view = toAgentView(await this.agents.create(userId, fields));
      this.events.emit('system:agent_added', userId, view);
      return view;
    } catch (err) {
      throw this.translate(err, fields.agentNumber);
    }
  }

  async update(userId: string, id: string, fields: Partial<AgentFields>): Promise<AgentView> {
    try {
      const agent = await this.agents.update(userId, id, fields);
      if (!agent) throw notFound('agent', id);
      return toAgentView(agent);
    } catch (err) {
      throw this.translate(err, fields.agentNumber);
    }
  }

  async delete(userId: string, id: string): Promise<void> {
    const using = await this.agents.workflowsUsing(id);
    if (using.length > 0 && (await this.agents.findForUser(userId, id))) {
      throw new DomainError(
        ErrorCode.Conflict,
        `agent ${id} is used by ${using.length} workflow(s); delete or change them first`,
        { workflowIds: using.map((w) => w.id) },
      );
    }
    if (!(await this.agents.delete(userId, id))) throw notFound('agent', id);
  }

  private translate(err: unknown, agentNumber?: number): unknown {
    if (isUniqueViolation(err, 'uq_agents_user_number')) {
      return new DomainError(ErrorCode.Conflict, `you already have an agent #${agentNumber}`);
    }
    return err;
  }
}
