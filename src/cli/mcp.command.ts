import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { Logger } from '@nestjs/common';
import type { PaiosConfig } from '../config/config.schema.js';
import type { RunningProcess } from '../main.js';
import { ExecutorService } from '../orchestrator/executor/executor.service.js';
import { createPaiosMcpServer } from '../orchestrator/mcp/paios-mcp.server.js';
import { AgentRegistry } from '../orchestrator/registry/agent-registry.js';

export type StopReason = 'end of input' | 'output closed' | NodeJS.Signals;

/**
 * `paios mcp`: the agents as an MCP server on stdin/stdout, for hosts such as Claude Desktop or
 * Cursor that start it as a child. The host going away must end the process, or every restart of
 * the host leaves an orphan holding the data dir: end of stdin, a broken stdout or SIGTERM/SIGINT
 * stop it. Requests already read still get their answer (a write in flight is finished, never cut
 * off) within SHUTDOWN_TIMEOUT_MS; then the orchestrator shuts down and the database is closed.
 *
 * `boot` starts the orchestrator; a stop asked for while it boots is honoured once it is up.
 * Resolves with the reason once everything is closed.
 */
export async function serveMcp(
  boot: () => Promise<RunningProcess>,
  config: PaiosConfig,
  /** Who the tools act as (`--user`, PAIOS_LOCAL_USER or the owner); an error stops the server. */
  resolveUser: (running: RunningProcess) => Promise<{ id: string }>,
  io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream } = {
    stdin: process.stdin,
    stdout: process.stdout,
  },
): Promise<StopReason> {
  let stopRequested: ((reason: StopReason) => void) | undefined;
  const stop = new Promise<StopReason>((resolve) => (stopRequested = resolve));
  const onSignal = (signal: NodeJS.Signals) => stopRequested!(signal);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // A host that dies closes our stdout: writing then fails with EPIPE, which must not crash the process.
  const onOutputError = () => stopRequested!('output closed');
  io.stdout.on('error', onOutputError);

  const running = await boot();
  try {
    const user = await resolveUser(running);
    const { server, dispose } = createPaiosMcpServer(
      running.app.get(AgentRegistry),
      running.app.get(ExecutorService),
      user.id,
      config.version,
    );
    const transport = new StdioServerTransport(io.stdin as NodeJS.ReadStream, io.stdout as NodeJS.WriteStream);
    const inFlight = new InFlightRequests();
    transport.onclose = () => stopRequested!('end of input');
    await server.connect(transport);
    inFlight.track(transport);
    io.stdin.once('end', () => stopRequested!('end of input'));

    const reason = await stop;
    // No new requests; answer those already read, then close.
    io.stdin.pause();
    const drained = await inFlight.drained(config.shutdownTimeoutMs);
    if (!drained) new Logger('mcp').warn(`stopping with ${inFlight.size} request(s) unanswered after ${reason}`);
    transport.onclose = undefined;
    dispose();
    await server.close();
    return reason;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await running.shutdown();
    io.stdout.off('error', onOutputError);
  }
}

/** Requests read from the client and not yet answered, so a stop can wait for their answers. */
class InFlightRequests {
  private readonly ids = new Set<RequestId>();
  private settled?: () => void;

  get size(): number {
    return this.ids.size;
  }

  /** Wraps the transport after the server connected: counts requests in, answers out. */
  track(transport: StdioServerTransport): void {
    const receive = transport.onmessage;
    transport.onmessage = (message: JSONRPCMessage) => {
      if (isJSONRPCRequest(message)) this.ids.add(message.id);
      receive?.(message);
    };
    const send = transport.send.bind(transport);
    transport.send = async (message: JSONRPCMessage) => {
      try {
        await send(message);
      } finally {
        if ((isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) && message.id !== undefined) {
          this.ids.delete(message.id);
          if (this.ids.size === 0) this.settled?.();
        }
      }
    };
  }

  /** True once every request has its answer, false if `timeoutMs` passed first. */
  async drained(timeoutMs: number): Promise<boolean> {
    if (this.ids.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      new Promise<true>((resolve) => (this.settled = () => resolve(true))),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return done;
  }
}
