import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { defineAgent, type AgentDefinition } from '../../sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../sdk/builtin-agent.decorator.js';
import { StripeAccounts } from '../../orchestrator/ledger/stripe-accounts.js';
import { VaultService } from '../../vault/vault.service.js';
import { Calendar } from '../../common/clock.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { LedgerRepository } from '../../orchestrator/ledger/ledger.repository.js';
import { ProjectRepository } from './project.repository.js';
import { digestTools } from './tools/digest.tools.js';
import { projectTools } from './tools/project.tools.js';
import { revenueTools } from './tools/revenue.tools.js';
import { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';

/** Agent #1, Business Intelligence: projects and milestones, revenue and receivables from the ledger. */
@BuiltinAgent()
@Injectable()
export class BusinessIntelligenceAgent implements AgentProvider {
  private readonly def: AgentDefinition;

  constructor(
    projects: ProjectRepository,
    ledger: LedgerRepository,
    @InjectDataSource() dataSource: DataSource,
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
    calendar: Calendar,
    outbound: OutboundClient,
    @Optional() vault?: VaultService,
  ) {
    const services = new StripeAccounts(config, 1, outbound, vault);
    this.def = defineAgent({
      manifest: {
        number: 1,
        name: 'business-intelligence',
        description: 'Projects, milestones, revenue and what you are owed',
        version: '0.1.0',
        configSchema: z.object({}),
        secrets: ['STRIPE_API_KEY'],
        events: ['milestone.completed'],
      },
      tools: [
        ...projectTools(projects, ledger, dataSource),
        ...revenueTools(ledger, services, calendar),
        ...digestTools(ledger, projects, calendar),
      ],
      vocabulary: (userId) => projects.projectNames(userId),
    });
  }

  definition(): AgentDefinition {
    return this.def;
  }
}
