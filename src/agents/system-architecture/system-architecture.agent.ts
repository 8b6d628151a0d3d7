import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { UserRepository } from '../../orchestrator/identity/user.repository.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import { defineAgent, type AgentDefinition } from '../../sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../sdk/builtin-agent.decorator.js';
import { ArchitectureService } from './architecture.service.js';
import { architectureTools } from './tools/architecture.tools.js';

/** Agent #31, System Architecture: the running system drawn, its health, its changes and rollbacks. */
@BuiltinAgent()
@Injectable()
export class SystemArchitectureAgent implements AgentProvider {
  private readonly def: AgentDefinition;

  constructor(
    architecture: ArchitectureService,
    registry: AgentRegistry,
    users: UserRepository,
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
  ) {
    this.def = defineAgent({
      manifest: {
        number: 31,
        name: 'system-architecture',
        description: 'Draws the running system as diagrams; health, agents, changes and rollbacks',
        version: '0.1.0',
        configSchema: z.object({}),
        secrets: [],
        events: [],
      },
      tools: architectureTools({ architecture, registry, users, config }),
    });
  }

  definition(): AgentDefinition {
    return this.def;
  }
}
