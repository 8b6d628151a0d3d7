import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  SetLevelRequestSchema,
  type CallToolResult,
  type LoggingLevel,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ExecutorService } from '../executor/executor.service.js';
import type { AgentRegistry } from '../registry/agent-registry.js';
import { progressNotifier } from './mcp-progress.js';
import { McpLogLevels } from './mcp-log-levels.js';
import { toCallToolResult, toolErrorResult } from './tool-result.mapper.js';

/** `invoicing__create_invoice`: MCP tool names allow letters, digits, _ and -. */
export const exposedToolName = (agentName: string, tool: string) => `${agentName}__${tool}`;

/**
 * paios as one MCP server for outside clients (Claude Desktop, Cursor, any MCP client): every tool of
 * every running agent, for one paios user, each call going through the executor (history, events,
 * cache, timeouts) like any other. The tool list follows hot swaps (tools/list_changed).
 * Logging: `logging/setLevel` is remembered per user (`levels`), and each tool call reports its start,
 * end and failure as notifications/message at or above that level. A call that carries a
 * progressToken hears the tool's progress as notifications/progress.
 */
export function createPaiosMcpServer(
  registry: AgentRegistry,
  executor: ExecutorService,
  userId: string,
  version: string,
  levels: McpLogLevels = new McpLogLevels(),
): { server: Server; dispose: () => void } {
  const server = new Server(
    { name: 'paios', version },
    {
      capabilities: { tools: { listChanged: true }, logging: {} },
      instructions: 'Tools of your paios agents, named <agent>__<tool>. Each call acts as your paios user.',
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: registry.catalog().map((t): Tool => ({
      name: exposedToolName(t.agentName, t.name),
      title: `#${t.agentNumber} ${t.agentName}: ${t.name}`,
      description: `${t.description} (agent #${t.agentNumber} ${t.agentName})`,
      inputSchema: { ...t.inputSchema, type: 'object' },
      annotations: { ...t.annotations },
    })),
  }));

  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    levels.set(userId, request.params.level);
    return {};
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const log = async (level: LoggingLevel, data: string) => {
      if (!levels.wants(userId, level)) return;
      // On the request's own stream, so a stateless client sees it before the result.
      await extra
        .sendNotification({ method: 'notifications/message', params: { level, logger: 'paios', data } })
        .catch(() => undefined);
    };
    const tool = registry.catalog().find((t) => exposedToolName(t.agentName, t.name) === request.params.name);
    if (!tool) {
      await log('warning', `unknown tool ${request.params.name}`);
      return toolErrorResult(`unknown tool ${request.params.name}`);
    }
    const label = `#${tool.agentNumber} ${tool.agentName}.${tool.name}`;
    await log('debug', `calling ${label}`);
    // A long tool's progress, as MCP progress notifications, for a client that asked with a token.
    const onProgress = progressNotifier(extra);
    const response = await executor.execute({
      userId,
      agentNumber: tool.agentNumber,
      tool: tool.name,
      parameters: request.params.arguments ?? {},
      caller: { kind: 'mcp', direct: false },
      onProgress,
    });
    if (!response.success) {
      await log('error', `${label} failed: ${response.error ?? 'the tool failed'}`);
      return toolErrorResult(response.error ?? 'the tool failed');
    }
    await log('info', `${label} answered in ${response.metadata?.executionTime ?? 0} ms`);
    return toCallToolResult({
      text: response.text ?? '',
      data: response.data,
      attachments: response.attachments,
      nextSuggestedActions: response.metadata?.nextSuggestedActions,
      sensitive: response.sensitive,
    });
  });

  const off = registry.onChange(() => {
    void server.sendToolListChanged().catch(() => undefined); // not connected yet, or gone
  });
  return { server, dispose: off };
}
