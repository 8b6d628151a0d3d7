import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Logger } from '@nestjs/common';
import type {
  AgentDefinition,
  AgentMemory,
  AgentResponse,
  CallerChannel,
  ToolContext,
  ToolTransaction,
} from '../../sdk/agent.contract.js';
import type { AgentLanguageModel } from '../../sdk/language-model.contract.js';
import { DomainError } from '../../common/errors.js';
import { ToolError } from '../../sdk/tool-error.js';
import { progressNotifier } from './mcp-progress.js';
import { toCallToolResult, toolErrorResult } from './tool-result.mapper.js';

/** What paios sends along with every tools/call to a built-in agent (in the request's `_meta`). */
export interface PaiosCallMeta {
  userId: string;
  requestId: string;
  /** The user's own settings for this agent, merged over the instance configuration. */
  userConfig?: Record<string, unknown>;
  idempotencyKey?: string;
  caller?: CallerChannel;
}

/** Services a built-in agent reaches through its ToolContext. */
export interface BuiltinAgentServices {
  memory(userId: string, agentNumber: number): AgentMemory;
  /** The model port bound to this user and agent; undefined when no model is configured. */
  languageModel(userId: string, agentNumber: number, signal: AbortSignal): AgentLanguageModel | undefined;
  callAgent(
    from: number,
    meta: PaiosCallMeta,
    target: number,
    tool: string,
    parameters: Record<string, unknown>,
  ): Promise<AgentResponse>;
  /** One transaction whose emitted events go to the outbox with it (see ToolContext.transaction). */
  transaction<T>(agentNumber: number, meta: PaiosCallMeta, work: (tx: ToolTransaction) => Promise<T>): Promise<T>;
}

/**
 * Serves one built-in agent as an MCP server: each tool is registered with its zod schema (the SDK
 * validates arguments), and each call gets a ToolContext for the user named in the request's _meta.
 */
export function createAgentMcpServer(
  definition: AgentDefinition,
  instanceConfig: Record<string, unknown>,
  services: BuiltinAgentServices,
): McpServer {
  const { manifest } = definition;
  const logger = new Logger(`agent#${manifest.number}`);
  const server = new McpServer(
    { name: `paios-${manifest.name}`, version: manifest.version },
    { instructions: manifest.description },
  );
  for (const tool of definition.tools) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: tool.input,
        // A plugin written in plain JavaScript may declare none: then it is not taken for read-only.
        annotations: { ...tool.annotations },
        _meta: {
          paios: {
            agentNumber: manifest.number,
            examples: tool.examples,
            cacheTtlSeconds: tool.cacheTtlSeconds,
            sensitive: tool.sensitive ?? false,
          },
        },
      },
      async (args: Record<string, unknown>, extra) => {
        const meta = (extra._meta?.paios ?? {}) as Partial<PaiosCallMeta>;
        if (!meta.userId || !meta.requestId) return toolErrorResult('paios tools need a user: call them through paios');
        const call = {
          userId: meta.userId,
          requestId: meta.requestId,
          userConfig: meta.userConfig,
          idempotencyKey: meta.idempotencyKey,
          caller: meta.caller,
        };
        const ctx: ToolContext = {
          userId: call.userId,
          requestId: call.requestId,
          idempotencyKey: call.idempotencyKey,
          config: { ...instanceConfig, ...(call.userConfig ?? {}) },
          memory: services.memory(call.userId, manifest.number),
          llm: services.languageModel(call.userId, manifest.number, extra.signal),
          callAgent: (target, name, parameters) => services.callAgent(manifest.number, call, target, name, parameters),
          signal: extra.signal,
          caller: call.caller,
          // MCP's own progress notifications, only when the caller asked for them with a token.
          progress: progressNotifier(extra),
          transaction: (work) => services.transaction(manifest.number, call, work),
        };
        try {
          return toCallToolResult(await tool.handler(args, ctx));
        } catch (err) {
          if (err instanceof ToolError || err instanceof DomainError) return toolErrorResult(err.message);
          logger.error(`tool ${tool.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          return toolErrorResult(`${manifest.name} could not complete ${tool.name}; the server log has the details`);
        }
      },
    );
  }
  return server;
}
