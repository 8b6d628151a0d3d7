import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { DomainError } from '../../common/errors.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { SystemEvents, type SystemEventName } from '../../orchestrator/events/system-events.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import { TokenService, type AuthUser } from '../auth/token.service.js';

/** Events forwarded to the browser / client of the user they concern. */
const FORWARDED: SystemEventName[] = [
  'system:agent_added',
  'system:workflow_updated',
  'agent:status',
  'agent:response',
  'agent:error',
  'agent:message',
  'workflow:triggered',
  'voice:command_received',
  'voice:processing',
  'voice:response',
  'chat:message',
];

const roomOf = (userId: string) => `user:${userId}`;

/** The seed's live metrics event: each app process reports itself (in server mode to every client). */
export interface PerformanceUpdate {
  at: string;
  process: { id: string; pid: number; uptimeSeconds: number };
  memory: { rssMiB: number; heapUsedMiB: number };
  /** Event loop delay over the last interval, milliseconds. */
  eventLoop: { p50Ms: number; p99Ms: number };
  /** CPU used by this process over the last interval, percent of one core. */
  cpuPercent: number;
  agents: { number: number; name: string; state: string; inFlight: number }[];
  sockets: number;
}

/**
 * Socket.io endpoint of the seed's real-time events. A client connects with its JWT
 * (`io(url, { auth: { token } })` or an `Authorization: Bearer` header) and receives the events of
 * its own user. In server mode the Redis adapter fans events out across app processes.
 */
@WebSocketGateway({ cors: { origin: false } })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger('RealtimeGateway');
  private readonly unsubscribe: (() => void)[] = [];
  private readonly processId = randomUUID().slice(0, 8);
  private metricsTimer?: NodeJS.Timeout;
  private loopDelay?: IntervalHistogram;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  @WebSocketServer() server!: Server;

  constructor(
    private readonly tokens: TokenService,
    private readonly events: SystemEvents,
    private readonly registry: AgentRegistry,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  /** Live metrics of this process for the clients: memory, event loop, CPU, agents and their load. */
  performance(): PerformanceUpdate {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedMs = Math.max(1, now - this.lastAt);
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const loop = this.loopDelay;
    const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
    const update: PerformanceUpdate = {
      at: new Date().toISOString(),
      process: { id: this.processId, pid: process.pid, uptimeSeconds: Math.round(process.uptime()) },
      memory: {
        rssMiB: Math.round(process.memoryUsage.rss() / 1048576),
        heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
      },
      eventLoop: { p50Ms: loop ? ms(loop.percentile(50)) : 0, p99Ms: loop ? ms(loop.percentile(99)) : 0 },
      cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 1000) / 10,
      agents: this.registry.list().map((s) => ({
        number: s.agentNumber,
        name: s.name,
        state: s.enabled ? s.state : 'disabled',
        inFlight: s.inFlight,
      })),
      sockets: this.server?.sockets.sockets.size ?? 0,
    };
    loop?.reset();
    return update;
  }

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const raw =
        (socket.handshake.auth as { token?: unknown } | undefined)?.token ??
        TokenService.fromHeader(socket.handshake.headers.authorization);
      if (typeof raw !== 'string' || raw === '') return next(new Error('missing bearer token'));
      this.tokens.verify(raw).then(
        (user) => {
          (socket.data as { user?: AuthUser }).user = user;
          next();
        },
        (err: unknown) => next(new Error(err instanceof DomainError ? err.message : 'authentication failed')),
      );
    });
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.loopDelay.enable();
    this.metricsTimer = setInterval(() => {
      // Only while someone listens here; other processes report to their own clients and, through
      // the Redis adapter, to everyone's.
      if (this.server.sockets.sockets.size > 0) this.server.emit('system:performance_update', this.performance());
    }, this.config.performanceUpdateMs);
    this.metricsTimer.unref();
    for (const event of FORWARDED) {
      this.unsubscribe.push(
        this.events.on(event, (userId, payload) => {
          this.server.to(roomOf(userId)).emit(event, payload);
        }),
      );
    }
  }

  async handleConnection(socket: Socket): Promise<void> {
    const user = (socket.data as { user?: AuthUser }).user;
    if (!user) return void socket.disconnect(true);
    await socket.join(roomOf(user.id));
    this.logger.debug(`socket ${socket.id} joined for user ${user.id}`);
  }

  onModuleDestroy(): void {
    clearInterval(this.metricsTimer);
    this.loopDelay?.disable();
    for (const off of this.unsubscribe.splice(0)) off();
  }
}
