import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { ExecutorService } from '../../orchestrator/executor/executor.service.js';
import { createPaiosMcpServer } from '../../orchestrator/mcp/paios-mcp.server.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * `/mcp`: the user's agents as one MCP server over Streamable HTTP (stateless: a server per request).
 * Needs the same bearer token as /api; refuses browsers from other origins (DNS rebinding) and,
 * unless MCP_ALLOW_REMOTE=true, clients that are not on this machine.
 */
@ApiExcludeController()
@Controller('mcp')
export class McpController {
  constructor(
    private readonly registry: AgentRegistry,
    private readonly executor: ExecutorService,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  @All()
  async handle(@CurrentUser() user: AuthUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const refusal = this.refuse(req);
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
    const { server, dispose } = createPaiosMcpServer(this.registry, this.executor, user.id, this.config.version);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      dispose();
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  private refuse(req: Request): string | undefined {
    const remote = req.socket.remoteAddress ?? '';
    if (!this.config.mcp.allowRemote && !LOOPBACK.has(remote))
      return 'MCP is served to this machine only (set MCP_ALLOW_REMOTE=true to change that)';
    const origin = req.headers.origin;
    if (origin) {
      let host: string;
      try {
        host = new URL(origin).host;
      } catch {
        return 'bad Origin header';
      }
      const allowed = this.config.mcp.allowedOrigins.includes(origin) || host === req.headers.host;
      if (!allowed) return `Origin ${origin} is not allowed (MCP_ALLOWED_ORIGINS)`;
    }
    return undefined;
  }
}
