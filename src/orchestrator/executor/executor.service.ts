import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode as McpErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import type { AgentResponse, CallerChannel } from '../../sdk/agent.contract.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { DomainError } from '../../common/errors.js';
import { EventOutbox } from '../events/event-outbox.js';
import { SystemEvents } from '../events/system-events.js';
import { AgentRegistry } from '../registry/agent-registry.js';
import { AgentRepository } from '../registry/agent.repository.js';
import { type InteractionOrigin, InteractionRepository, type ExecutionStatus } from './interaction.repository.js';
import { ResultCache } from './result-cache.js';

/** What a sensitive response may show beyond the person who asked: that it happened, not what it said. */
export function withheldResponse(response: AgentResponse): AgentResponse {
  return { success: response.success, sensitive: true, text: '(withheld)', metadata: response.metadata };
}

export interface ExecuteRequest {
  userId: string;
  agentNumber: number;
  tool: string;
  parameters: Record<string, unknown>;
  requestId?: string;
  /** What the person said or typed; recorded as the command. */
  commandText?: string;
  timeoutMs?: number;
  /** Passed to the tool: repeats with the same key must not repeat side effects. */
  idempotencyKey?: string;
  /** Recorded with the history row: which chat, typed or spoken. */
  origin?: InteractionOrigin;
  /** Passed to the tool, which may refuse callers (the vault answers direct conversations only). */
  caller?: CallerChannel;
  /** Hears the tool's progress messages (ToolContext.progress); never called for a sensitive tool. */
  onProgress?: (text: string) => void;
}

/**
 * Runs one tool call: the user's agent row (created on first use), the cache for cacheable tools,
 * MCP tools/call through the registry with a timeout, the history row with execution time, and the
 * seed's agent:* events. Never throws for an agent's failure: the AgentResponse says what went wrong.
 */
@Injectable()
export class ExecutorService {
  private readonly logger = new Logger('Executor');

  constructor(
    private readonly registry: AgentRegistry,
    private readonly agents: AgentRepository,
    private readonly interactions: InteractionRepository,
    private readonly cache: ResultCache,
    private readonly events: SystemEvents,
    private readonly outbox: EventOutbox,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  async execute(req: ExecuteRequest): Promise<AgentResponse> {
    const requestId = req.requestId ?? randomUUID();
    const started = performance.now();
    const slot = this.registry.get(req.agentNumber);
    const tool = this.registry.catalog().find((t) => t.agentNumber === req.agentNumber && t.name === req.tool);
    const row = slot ? await this.agents.ensureForUser(req.userId, req.agentNumber, slot.name, slot.description) : null;

    /**
     * The one judgement of a call's sensitivity: its tool is declared sensitive, or its result says
     * so. Everything after reads only `response.sensitive`: the history keeps the call without its
     * words or answer, events carry no content, nothing is cached or raised for workflows.
     */
    const judge = (resultSays = false): true | undefined => tool?.sensitive === true || resultSays || undefined;
    const finish = async (response: AgentResponse, status: ExecutionStatus): Promise<AgentResponse> => {
      const executionTime = Math.round(performance.now() - started);
      response.metadata = { resourcesUsed: [], ...response.metadata, executionTime };
      const sensitive = response.sensitive === true;
      await this.interactions.record({
        userId: req.userId,
        agentId: row?.id ?? null,
        commandText: sensitive
          ? `#${req.agentNumber} ${req.tool} (withheld)`
          : (req.commandText ?? `#${req.agentNumber} ${req.tool} ${JSON.stringify(req.parameters)}`),
        responseText: sensitive ? '(withheld)' : (response.text ?? response.error ?? null),
        status,
        executionTimeMs: executionTime,
        origin: req.origin,
      });
      this.events.emit('agent:status', req.userId, { agentNumber: req.agentNumber, status: 'idle', requestId });
      if (response.success)
        this.events.emit('agent:response', req.userId, {
          agentNumber: req.agentNumber,
          requestId,
          response: sensitive ? withheldResponse(response) : response,
        });
      else
        this.events.emit('agent:error', req.userId, {
          agentNumber: req.agentNumber,
          requestId,
          error: sensitive ? '(withheld)' : (response.error ?? 'failed'),
        });
      return response;
    };
    const fail = (error: string, status: ExecutionStatus = 'error') =>
      finish({ success: false, error, text: error, sensitive: judge() }, status);

    if (!slot || !row) return fail(`there is no agent #${req.agentNumber}`);
    if (row.isActive === false) return fail(`agent #${req.agentNumber} ${slot.name} is turned off for you`);
    if (slot.state !== 'active')
      return fail(`agent #${req.agentNumber} ${slot.name} is ${slot.enabled ? 'not running' : 'disabled'}`);
    if (!tool) {
      const known = slot.tools.join(', ');
      return fail(`agent #${req.agentNumber} ${slot.name} has no tool "${req.tool}" (tools: ${known})`);
    }

    const cacheKey = tool.cacheTtlSeconds ? this.cache.key(row.id, req.tool, req.parameters) : undefined;
    if (cacheKey) {
      const hit = await this.cache.get<AgentResponse>(cacheKey);
      if (hit) return finish({ ...hit, metadata: { ...hit.metadata!, cached: true } }, 'success');
    }

    let lease;
    try {
      lease = this.registry.acquire(req.agentNumber);
    } catch (err) {
      return fail(err instanceof DomainError ? err.message : `agent #${req.agentNumber} is unavailable`);
    }
    this.events.emit('agent:status', req.userId, { agentNumber: req.agentNumber, status: 'working', requestId });
    const timeoutMs = req.timeoutMs ?? this.config.agents.callTimeoutMs;
    try {
      const outcome = await lease.instance.call(
        req.tool,
        req.parameters,
        {
          userId: req.userId,
          requestId,
          userConfig: row.config ?? {},
          idempotencyKey: req.idempotencyKey,
          caller: req.caller,
        },
        timeoutMs,
        tool.sensitive ? undefined : req.onProgress,
      );
      const response: AgentResponse = {
        success: outcome.ok,
        data: outcome.data,
        text: outcome.text,
        error: outcome.ok ? undefined : outcome.text,
        attachments: outcome.attachments.length ? outcome.attachments : undefined,
        buttons: outcome.buttons,
        secretPrompt: outcome.secretPrompt,
        sensitive: judge(outcome.sensitive),
        metadata: {
          executionTime: 0,
          resourcesUsed: [`agent#${req.agentNumber}@${lease.instance.version}`, `tool:${req.tool}`],
          nextSuggestedActions: outcome.nextSuggestedActions,
        },
      };
      // A sensitive result raises no events: their payloads would reach workflows, jobs and sockets.
      if (outcome.ok && !response.sensitive) {
        // Events a tool returned (rather than emitted in its transaction) are stored now, then relayed.
        try {
          await this.outbox.record({ userId: req.userId, agentNumber: req.agentNumber, requestId }, outcome.events);
        } catch (err) {
          this.logger.error(
            `#${req.agentNumber} ${req.tool}: its events could not be stored: ${(err as Error).message}`,
          );
        }
        if (cacheKey && !response.sensitive) await this.cache.set(cacheKey, response, tool.cacheTtlSeconds!);
      }
      return await finish(response, outcome.ok ? 'success' : 'error');
    } catch (err) {
      if (err instanceof McpError && err.code === (McpErrorCode.RequestTimeout as number)) {
        return fail(
          `agent #${req.agentNumber} ${slot.name} did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`,
          'timeout',
        );
      }
      this.logger.error(`#${req.agentNumber} ${req.tool} failed: ${(err as Error).message}`);
      return fail(`agent #${req.agentNumber} ${slot.name} failed to run ${req.tool}`);
    } finally {
      lease.release();
    }
  }
}
