import { Module } from '@nestjs/common';
import { LedgerModule } from '../../orchestrator/ledger/ledger.module.js';
import { BusinessIntelligenceAgent } from './business-intelligence.agent.js';
import { ProjectRepository } from './project.repository.js';

/** Agent #1. Reads agent #15's ledger (clients, invoices, payments) through the shared LedgerModule. */
@Module({ imports: [LedgerModule], providers: [ProjectRepository, BusinessIntelligenceAgent] })
export class BusinessIntelligenceModule {}
