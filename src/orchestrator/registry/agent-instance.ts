import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import { createAgentMcpServer, type BuiltinAgentServices, type PaiosCallMeta } from '../mcp/agent-mcp-server.js';
import { fromCallToolResult, type ToolOutcome } from '../mcp/tool-result.mapper.js';
import { OutboundClient } from '../outbound/outbound.client.js';
import { specName, specNumber, specVersion, type AgentSpec, type ToolInfo } from './agent-spec.js';

export type InstanceState = 'starting' | 'active' | 'draining' | 'stopped' | 'failed';

export class AgentStartError extends Error {
  override name = 'AgentStartError';
}

/**
 * One running version of an agent: an MCP client connected to the agent's MCP server (in memory for
 * built-in agents, stdio or Streamable HTTP for external ones). Counts calls in flight so that a
 * hot swap can drain it before it stops.
 */
export class AgentInstance {
  readonly id = randomUUID();
  state: InstanceState = 'starting';
  private inFlightCount = 0;
  private idleWaiters: (() => void)[] = [];
  private client?: Client;
  private server?: McpServer;
  private toolList: ToolInfo[] = [];

  constructor(
    readonly spec: AgentSpec,
    readonly config: Record<string, unknown>,
    private readonly services: BuiltinAgentServices,
    /** Outside MCP servers over HTTP are reached through it (their URL is a user's choice). */
    private readonly outbound: OutboundClient = new OutboundClient(),
  ) {}

  get number(): number {
    return specNumber(this.spec);
  }

  get version(): string {
    return specVersion(this.spec);
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  get tools(): ToolInfo[] {
    return this.toolList;
  }

  /** Initializes, connects and health-checks; throws AgentStartError and cleans up on any failure. */
  async start(timeoutMs: number): Promise<void> {
    try {
      const { spec } = this;
      let transport: Transport;
      if (spec.kind === 'builtin') {
        const parsed = spec.definition.manifest.configSchema.safeParse(this.config);
        if (!parsed.success) {
          throw new Error(
            `invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          );
        }
        await spec.definition.initialize?.(parsed.data);
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        this.server = createAgentMcpServer(spec.definition, parsed.data, this.services);
        await this.server.connect(serverSide);
        transport = clientSide;
      } else if (spec.transport.type === 'stdio') {
        transport = new StdioClientTransport({
          command: spec.transport.command,
          args: spec.transport.args,
          env: { ...(process.env as Record<string, string>), ...spec.transport.env },
          cwd: spec.transport.cwd,
          stderr: 'pipe',
        });
      } else {
        transport = new StreamableHTTPClientTransport(new URL(spec.transport.url), {
          requestInit: { headers: spec.transport.headers },
          fetch: this.outbound.fetch,
        });
      }
      this.client = new Client({ name: 'paios', version: '1' });
      await this.client.connect(transport, { timeout: timeoutMs });
      // Health check: the server answers tools/list, and the agent's own check passes.
      const listed = await this.client.listTools(undefined, { timeout: timeoutMs });
      this.toolList = listed.tools.map((t) => {
        const meta = (t._meta?.paios ?? {}) as { examples?: string[]; cacheTtlSeconds?: number; sensitive?: boolean };
        return {
          agentNumber: this.number,
          agentName: specName(this.spec),
          name: t.name,
          description: t.description ?? t.name,
          inputSchema: t.inputSchema,
          // External servers bring no examples: the description stands in for one.
          examples: meta.examples ?? [t.description ?? t.name.replace(/_/g, ' ')],
          cacheTtlSeconds: meta.cacheTtlSeconds,
          sensitive: meta.sensitive ?? false,
          annotations: t.annotations ?? {},
          extract: this.extractorOf(t.name),
        };
      });
      if (spec.kind === 'builtin') await spec.definition.healthCheck?.();
      this.state = 'active';
    } catch (err) {
      this.state = 'failed';
      await this.close();
      throw new AgentStartError(
        `agent #${this.number} ${specName(this.spec)} ${this.version} did not start: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /**
   * Counts a caller in until it calls the returned release. The registry hands out leases, so that
   * an instance swapped out between lookup and call still drains before it stops.
   */
  lease(): () => void {
    this.inFlightCount++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlightCount--;
      if (this.inFlightCount === 0) for (const w of this.idleWaiters.splice(0)) w();
    };
  }

  /** Names a person may say to this agent (built-in agents that declare them); none for external servers. */
  async vocabulary(userId: string): Promise<string[]> {
    if (this.spec.kind !== 'builtin' || this.state !== 'active') return [];
    return (await this.spec.definition.vocabulary?.(userId)) ?? [];
  }

  /** A built-in tool's own message reader, bound to its definition; none for external servers. */
  private extractorOf(tool: string): ToolInfo['extract'] {
    if (this.spec.kind !== 'builtin') return undefined;
    const definition = this.spec.definition.tools.find((d) => d.name === tool);
    if (!definition?.extract) return undefined;
    return (text, entities) => definition.extract!(text, entities);
  }

  /**
   * tools/call through MCP. Resolves with the outcome; rejects on timeout or transport failure. With
   * `onProgress`, the call asks for MCP progress notifications and hands on their messages.
   */
  async call(
    tool: string,
    args: Record<string, unknown>,
    meta: PaiosCallMeta,
    timeoutMs: number,
    onProgress?: (text: string) => void,
  ): Promise<ToolOutcome> {
    if (!this.client) throw new Error(`agent #${this.number} is not running`);
    const result = await this.client.callTool(
      { name: tool, arguments: args, _meta: { paios: meta } },
      CallToolResultSchema,
      {
        timeout: timeoutMs,
        onprogress: onProgress && ((p) => p.message && onProgress(p.message)),
      },
    );
    return fromCallToolResult(result as CallToolResult);
  }

  /** Waits until no call is in flight, or `timeoutMs`; returns whether it drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.state = 'draining';
    if (this.inFlightCount === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    await this.close();
    if (this.spec.kind === 'builtin') await this.spec.definition.cleanup?.().catch(() => undefined);
    this.state = 'stopped';
  }

  private async close(): Promise<void> {
    await this.client?.close().catch(() => undefined);
    await this.server?.close().catch(() => undefined);
    this.client = undefined;
    this.server = undefined;
  }
}
