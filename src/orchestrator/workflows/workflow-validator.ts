import { Injectable } from '@nestjs/common';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { DomainError, ErrorCode } from '../../common/errors.js';
import { AgentRepository } from '../registry/agent.repository.js';
import { AgentRegistry } from '../registry/agent-registry.js';
import type { WorkflowFields } from './workflow.repository.js';
import type { WorkflowAction } from './workflow-definition.js';

const TEMPLATE = /\{\{\s*[\w.]+\s*\}\}/;
const hasTemplate = (v: unknown): boolean =>
  typeof v === 'string' ? TEMPLATE.test(v) : !!v && typeof v === 'object' && TEMPLATE.test(JSON.stringify(v));

/**
 * Refuses, when a workflow is saved, what could never run: an end that is not one of the user's
 * agents, a target agent this paios does not run, a tool the target does not have, or parameters
 * that fail the tool's input schema. Parameters filled from the event ("{{payload.amount}}") are
 * only known at run time, so they count as present and their type is checked then.
 */
@Injectable()
export class WorkflowValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor(
    private readonly agents: AgentRepository,
    private readonly registry: AgentRegistry,
  ) {}

  /** Throws DomainError(Invalid) naming every problem (details: field path -> problem). */
  async assertRunnable(
    userId: string,
    fields: Partial<WorkflowFields>,
    current?: Partial<WorkflowFields>,
  ): Promise<void> {
    const problems: Record<string, string> = {};
    const owned = new Map<string, number>();
    for (const key of ['sourceAgentId', 'targetAgentId'] as const) {
      const id = fields[key];
      if (id === undefined || id === null) continue;
      const agent = await this.agents.findForUser(userId, id);
      if (!agent) problems[key] = `no agent ${id} among your agents`;
      else owned.set(key, agent.agentNumber);
    }

    const action = (fields.actions ?? (fields.targetAgentId !== undefined ? current?.actions : undefined)) as
      WorkflowAction | undefined;
    const targetId = fields.targetAgentId ?? current?.targetAgentId;
    if (action && Object.keys(action).length > 0 && targetId && !problems.targetAgentId) {
      const number = owned.get('targetAgentId') ?? (await this.agents.findForUser(userId, targetId))?.agentNumber;
      if (number !== undefined) Object.assign(problems, this.checkAction(number, action));
    }
    const entries = Object.entries(problems);
    if (entries.length === 0) return;
    const unknownAgents = entries.every(([, p]) => p.endsWith('among your agents'));
    throw new DomainError(
      ErrorCode.Invalid,
      unknownAgents
        ? 'workflow refers to unknown agents'
        : `workflow could never run: ${entries.map(([k, p]) => `${k}: ${p}`).join('; ')}`,
      problems,
    );
  }

  private checkAction(agentNumber: number, action: WorkflowAction): Record<string, string> {
    const slot = this.registry.get(agentNumber);
    if (!slot) {
      const running = this.registry
        .list()
        .map((s) => `#${s.agentNumber}`)
        .join(', ');
      return { targetAgentId: `agent #${agentNumber} does not run in this paios (agents: ${running || 'none'})` };
    }
    // A stopped or failed agent's tools are not known now; its start is checked when it runs.
    if (slot.state !== 'active') return {};
    const tool = this.registry.catalog().find((t) => t.agentNumber === agentNumber && t.name === action.tool);
    if (!tool)
      return {
        'actions.tool': `agent #${agentNumber} ${slot.name} has no tool "${action.tool}" (tools: ${slot.tools.join(', ')})`,
      };
    return this.checkParameters(tool.name, tool.inputSchema, action.parameters ?? {});
  }

  private checkParameters(
    toolName: string,
    inputSchema: Record<string, unknown>,
    parameters: Record<string, unknown>,
  ): Record<string, string> {
    // Templated parameters are present, of a type known only at run time.
    const properties = (inputSchema.properties ?? {}) as Record<string, unknown>;
    const relaxed = {
      ...inputSchema,
      properties: Object.fromEntries(
        Object.entries(properties).map(([k, v]) => [k, hasTemplate(parameters[k]) ? {} : v]),
      ),
    };
    let validate = this.compiled.get(inputSchema);
    const templated = Object.keys(parameters).some((k) => hasTemplate(parameters[k]));
    if (templated || !validate) {
      validate = this.ajv.compile(relaxed);
      if (!templated) this.compiled.set(inputSchema, validate);
    }
    if (validate(parameters)) return {};
    const problems: Record<string, string> = {};
    for (const e of validate.errors ?? []) {
      const [key, message] = describe(toolName, e);
      problems[key] ??= message;
    }
    return problems;
  }
}

function describe(toolName: string, e: ErrorObject): [string, string] {
  const at = e.instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  if (e.keyword === 'required' && params.missingProperty)
    return [
      ['actions.parameters', ...at, params.missingProperty].join('.'),
      `${toolName} needs this parameter (a value, or a template such as "{{payload.${params.missingProperty}}}")`,
    ];
  if (e.keyword === 'additionalProperties' && params.additionalProperty)
    return [['actions.parameters', ...at, params.additionalProperty].join('.'), `${toolName} has no such parameter`];
  return [['actions.parameters', ...at].join('.'), `${toolName}: ${e.message ?? 'invalid'}`];
}
