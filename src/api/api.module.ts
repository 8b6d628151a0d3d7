import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { PublishingModule } from '../agents/publishing/publishing.module.js';
import { SystemArchitectureModule } from '../agents/system-architecture/system-architecture.module.js';
import { ArchitectureController } from './system/architecture.controller.js';
import { AgentExecutionController } from './agents/agent-execution.controller.js';
import { AgentsController } from './agents/agents.controller.js';
import { ChatController } from './chat/chat.controller.js';
import { AdminGuard } from './auth/admin.guard.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthenticateMiddleware } from './auth/authenticate.middleware.js';
import { PaiosThrottlerGuard } from './auth/throttler.guard.js';
import { TokenService } from './auth/token.service.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { RealtimeGateway } from './realtime/realtime.gateway.js';
import { HealthController } from './system/health.controller.js';
import { LlmUsageController } from './llm/llm-usage.controller.js';
import { McpController } from './mcp/mcp.controller.js';
import { SiteController } from './site/site.controller.js';
import { SystemController } from './system/system.controller.js';
import { VoiceController } from './voice/voice.controller.js';
import { CredentialsController, VaultController } from './vault/credentials.controller.js';
import { WorkflowsController } from './workflows/workflows.controller.js';

/**
 * The seed's REST API under /api and its Socket.io events. Guard order matters: authentication
 * is resolved by middleware, then the rate limit counts per user (or IP), then AuthGuard rejects.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), SystemArchitectureModule, PublishingModule],
  controllers: [
    HealthController,
    SystemController,
    AgentsController,
    AgentExecutionController,
    WorkflowsController,
    VoiceController,
    McpController,
    CredentialsController,
    VaultController,
    ArchitectureController,
    ChatController,
    LlmUsageController,
    SiteController,
  ],
  providers: [
    TokenService,
    AdminGuard,
    RealtimeGateway,
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_GUARD, useClass: PaiosThrottlerGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService],
})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthenticateMiddleware).forRoutes('*path');
  }
}
