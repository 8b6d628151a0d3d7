import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { AgentLanguageModel } from '../../sdk/language-model.contract.js';
import type { AgentMemory, AgentResponse, MCPMessage, ToolTransaction } from '../../sdk/agent.contract.js';
import { EventOutbox } from '../events/event-outbox.js';
import { SystemEvents } from '../events/system-events.js';
import { ExecutorService } from '../executor/executor.service.js';
import type { BuiltinAgentServices, PaiosCallMeta } from '../mcp/agent-mcp-server.js';
import { bindModel, LanguageModel } from '../llm/language-model.port.js';
import { MemoryService } from '../memory/memory.service.js';
import { AgentRegistry } from './agent-registry.js';
import { AgentRepository } from './agent.repository.js';

/** How long agent-to-agent envelopes are kept in the sender's memory. */
const MESSAGE_TTL_SECONDS = 7 * 24 * 3600;

/**
 * What built-in agents reach through their ToolContext: memory of their own row for the user, a
 * transaction whose events commit with it (the outbox), and calls to other agents, which go through the executor (and so through MCP) and are recorded as the
 * seed's MCPMessage envelopes and `agent:message` events.
 */
@Injectable()
export class AgentRuntimeServices implements BuiltinAgentServices {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly memories: MemoryService,
    private readonly agents: AgentRepository,
    private readonly events: SystemEvents,
    private readonly outbox: EventOutbox,
  ) {}

  // Resolved lazily: the registry and the executor are built with these services.
  private get registry(): AgentRegistry {
    return this.moduleRef.get(AgentRegistry, { strict: false });
  }

  private get executor(): ExecutorService {
    return this.moduleRef.get(ExecutorService, { strict: false });
  }

  private async rowId(userId: string, agentNumber: number): Promise<string> {
    const slot = this.registry.get(agentNumber);
    const row = await this.agents.ensureForUser(
      userId,
      agentNumber,
      slot?.name ?? `agent-${agentNumber}`,
      slot?.description ?? '',
    );
    return row.id;
  }

  languageModel(userId: string, agentNumber: number, signal: AbortSignal): AgentLanguageModel | undefined {
    const model = this.moduleRef.get<LanguageModel, LanguageModel | null>(LanguageModel, { strict: false });
    return model ? bindModel(model, { userId, agentNumber, purpose: 'agent', signal }) : undefined;
  }

  memory(userId: string, agentNumber: number): AgentMemory {
    return this.memories.bind(() => this.rowId(userId, agentNumber));
  }

  transaction<T>(agentNumber: number, meta: PaiosCallMeta, work: (tx: ToolTransaction) => Promise<T>): Promise<T> {
    return this.outbox.transaction({ userId: meta.userId, agentNumber, requestId: meta.requestId }, work);
  }

  async callAgent(
    from: number,
    meta: PaiosCallMeta,
    target: number,
    tool: string,
    parameters: Record<string, unknown>,
  ): Promise<AgentResponse> {
    const name = (n: number) => `#${n} ${this.registry.get(n)?.name ?? 'unknown'}`;
    const sentAt = new Date().toISOString();
    const response = await this.executor.execute({
      userId: meta.userId,
      agentNumber: target,
      tool,
      parameters,
      caller: { kind: 'agent', direct: false },
    });
    // Envelopes are kept in agent memory and sent as events, so they are written once the response
    // says whether the call was sensitive: then its parameters and answer stay out of them.
    const sensitive = response.sensitive === true;
    const command: MCPMessage = {
      id: randomUUID(),
      from: name(from),
      to: name(target),
      type: 'command',
      data: { tool, parameters: sensitive ? '(withheld)' : parameters },
      timestamp: sentAt,
      requiresResponse: true,
    };
    await this.envelope(meta.userId, from, command);
    await this.envelope(meta.userId, from, {
      id: randomUUID(),
      from: command.to,
      to: command.from,
      type: response.success ? 'response' : 'error',
      data: sensitive
        ? { withheld: true }
        : response.success
          ? { text: response.text, data: response.data }
          : { error: response.error },
      timestamp: new Date().toISOString(),
      requiresResponse: false,
    });
    return response;
  }

  private async envelope(userId: string, sender: number, message: MCPMessage): Promise<void> {
    this.events.emit('agent:message', userId, message);
    await this.memories.save(await this.rowId(userId, sender), 'mcp.message', message, {
      ttlSeconds: MESSAGE_TTL_SECONDS,
      relevance: 0,
    });
  }
}
