import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { ExecutorService } from '../../orchestrator/executor/executor.service.js';
import { McpLogLevels } from '../../orchestrator/mcp/mcp-log-levels.js';
import { createPaiosMcpServer } from '../../orchestrator/mcp/paios-mcp.server.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';
import { McpRequestGuard } from './mcp-request-guard.js';

/** A tools/call (or a batch holding one): its log notifications need a stream to travel on. */
function callsTool(body: unknown): boolean {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.some(
    (m) => typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'tools/call',
  );
}

/**
 * `/mcp`: the user's agents as one MCP server over Streamable HTTP (stateless: a server per request).
 * Needs the same bearer token as /api; refuses Host names that are not this server's and browsers
 * from other origins (DNS rebinding, see McpRequestGuard) and, unless MCP_ALLOW_REMOTE=true, clients
 * that are not on this machine. A tools/call answers as an SSE stream, so the log notifications
 * (at the level the client set with logging/setLevel) arrive before its result; the rest answer JSON.
 */
@ApiExcludeController()
@Controller('mcp')
export class McpController {
  private readonly guard: McpRequestGuard;
  private readonly levels = new McpLogLevels();

  constructor(
    private readonly registry: AgentRegistry,
    private readonly executor: ExecutorService,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {
    this.guard = new McpRequestGuard(config);
  }

  @All()
  async handle(@CurrentUser() user: AuthUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const refusal = this.guard.refusal(req.socket.remoteAddress, req.headers.host, req.headers.origin);
    if (refusal) {
      res.status(403).json({ statusCode: 403, error: 'Forbidden', message: refusal });
      return;
    }
    if (req.method !== 'POST') {
      res
        .status(405)
        .set('Allow', 'POST')
        .json({ statusCode: 405, error: 'Method Not Allowed', message: 'this MCP endpoint is stateless: POST only' });
      return;
    }
    const { server, dispose } = createPaiosMcpServer(
      this.registry,
      this.executor,
      user.id,
      this.config.version,
      this.levels,
    );
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: !callsTool(req.body),
    });
    res.on('close', () => {
      dispose();
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }
}
