import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ExecutorService } from '../executor/executor.service.js';
import type { AgentRegistry } from '../registry/agent-registry.js';
import { toCallToolResult, toolErrorResult } from './tool-result.mapper.js';

/** `invoicing__create_invoice`: MCP tool names allow letters, digits, _ and -. */
export const exposedToolName = (agentName: string, tool: string) => `${agentName}__${tool}`;

/**
 * paios as one MCP server for outside clients (Claude Desktop, Cursor, any MCP client): every tool of
 * every running agent, for one paios user, each call going through the executor (history, events,
 * cache, timeouts) like any other. The tool list follows hot swaps (tools/list_changed).
 */
export function createPaiosMcpServer(
  registry: AgentRegistry,
  executor: ExecutorService,
  userId: string,
  version: string,
): { server: Server; dispose: () => void } {
  const server = new Server(
    { name: 'paios', version },
    {
      capabilities: { tools: { listChanged: true } },
      instructions: 'Tools of your paios agents, named <agent>__<tool>. Each call acts as your paios user.',
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: registry.catalog().map((t): Tool => ({
      name: exposedToolName(t.agentName, t.name),
      title: `#${t.agentNumber} ${t.agentName}: ${t.name}`,
      description: `${t.description} (agent #${t.agentNumber} ${t.agentName})`,
      inputSchema: { ...t.inputSchema, type: 'object' },
      annotations: { readOnlyHint: t.cacheTtlSeconds !== undefined },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = registry.catalog().find((t) => exposedToolName(t.agentName, t.name) === request.params.name);
    if (!tool) return toolErrorResult(`unknown tool ${request.params.name}`);
    const response = await executor.execute({
      userId,
      agentNumber: tool.agentNumber,
      tool: tool.name,
      parameters: request.params.arguments ?? {},
      caller: { kind: 'mcp', direct: false },
    });
    if (!response.success) return toolErrorResult(response.error ?? 'the tool failed');
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
