import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { DomainError } from '../../common/errors.js';
import { SystemEvents, type SystemEventName } from '../../orchestrator/events/system-events.js';
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

/**
 * Socket.io endpoint of the seed's real-time events. A client connects with its JWT
 * (`io(url, { auth: { token } })` or an `Authorization: Bearer` header) and receives the events of
 * its own user. In server mode the Redis adapter fans events out across app processes.
 */
@WebSocketGateway({ cors: { origin: false } })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger('RealtimeGateway');
  private readonly unsubscribe: (() => void)[] = [];

  @WebSocketServer() server!: Server;

  constructor(
    private readonly tokens: TokenService,
    private readonly events: SystemEvents,
  ) {}

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
    for (const off of this.unsubscribe.splice(0)) off();
  }
}
