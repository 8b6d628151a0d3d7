import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AgentCommand, AgentResponse } from '../../sdk/agent.contract.js';
import { MCPAgent } from '../../sdk/mcp-agent.js';
import { DomainError, ErrorCode } from '../../common/errors.js';
import { ConversationService } from '../conversation/conversation.service.js';
import { ExecutorService } from '../executor/executor.service.js';
import { AgentRegistry } from './agent-registry.js';
import { AgentRuntimeServices } from './agent-runtime.services.js';

class RegisteredAgent extends MCPAgent {
  constructor(
    readonly agentNumber: number,
    readonly name: string,
    readonly description: string,
    private readonly userId: string,
    private readonly deps: AgentHandles,
  ) {
    super();
  }

  async initialize(config: Record<string, unknown>): Promise<void> {
    const { registry } = this.deps;
    await registry.reconfigure(this.agentNumber, config, this.userId);
    if (!registry.get(this.agentNumber)?.enabled) await registry.enable(this.agentNumber, this.userId);
  }

  execute(command: AgentCommand): Promise<AgentResponse> {
    if (command.userId !== this.userId)
      throw new DomainError(ErrorCode.Invalid, "a command must be for the handle's own user");
    return this.deps.executor.execute({
      userId: command.userId,
      agentNumber: this.agentNumber,
      tool: command.action,
      parameters: command.parameters,
      requestId: command.requestId,
      caller: { kind: 'api', direct: true },
    });
  }

  async cleanup(): Promise<void> {
    await this.deps.registry.disable(this.agentNumber, this.userId);
  }

  async processVoiceCommand(text: string): Promise<string> {
    return (await this.deps.conversation.handle({ userId: this.userId, text, channelAgent: this.agentNumber })).reply;
  }

  sendMessage(
    targetAgent: string | number,
    data: { tool: string; parameters?: Record<string, unknown> },
  ): Promise<AgentResponse> {
    const target =
      typeof targetAgent === 'number'
        ? this.deps.registry.get(targetAgent)
        : this.deps.registry.findByName(targetAgent);
    if (!target) throw new DomainError(ErrorCode.NotFound, `there is no agent ${String(targetAgent)}`);
    return this.deps.runtime.callAgent(
      this.agentNumber,
      { userId: this.userId, requestId: randomUUID() },
      target.agentNumber,
      data.tool,
      data.parameters ?? {},
    );
  }

  async updateConfig(newConfig: Record<string, unknown>): Promise<void> {
    await this.deps.registry.reconfigure(this.agentNumber, newConfig, this.userId);
  }

  saveMemory(type: string, content: unknown, ttlSeconds?: number, relevance?: number): Promise<void> {
    return this.deps.runtime.memory(this.userId, this.agentNumber).save(type, content, { ttlSeconds, relevance });
  }

  getMemory(type: string): Promise<unknown[]> {
    return this.deps.runtime.memory(this.userId, this.agentNumber).get(type);
  }
}

/** Hands out the seed's MCPAgent handle for an agent and a user. */
@Injectable()
export class AgentHandles {
  constructor(
    readonly registry: AgentRegistry,
    readonly executor: ExecutorService,
    readonly conversation: ConversationService,
    readonly runtime: AgentRuntimeServices,
  ) {}

  for(userId: string, agent: number | string): MCPAgent {
    const slot = typeof agent === 'number' ? this.registry.get(agent) : this.registry.findByName(agent);
    if (!slot)
      throw new DomainError(
        ErrorCode.NotFound,
        `there is no agent ${typeof agent === 'number' ? `#${agent}` : `@${agent}`}`,
      );
    return new RegisteredAgent(slot.agentNumber, slot.name, slot.description, userId, this);
  }
}
