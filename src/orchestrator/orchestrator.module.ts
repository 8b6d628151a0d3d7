import { Global, Module } from '@nestjs/common';
import { SystemEvents } from './events/system-events.js';
import { UserRepository } from './identity/user.repository.js';
import { MemoryMaintenanceService } from './memory/memory-maintenance.service.js';
import { AgentRepository } from './registry/agent.repository.js';
import { AgentsService } from './registry/agents.service.js';
import { WorkflowRepository } from './workflows/workflow.repository.js';
import { WorkflowsService } from './workflows/workflows.service.js';

/** Users, agents, workflows and the events they raise. Later: registry, router, executor, MCP. */
@Global()
@Module({
  providers: [
    SystemEvents,
    UserRepository,
    AgentRepository,
    WorkflowRepository,
    AgentsService,
    WorkflowsService,
    MemoryMaintenanceService,
  ],
  exports: [SystemEvents, UserRepository, AgentsService, WorkflowsService],
})
export class OrchestratorModule {}
