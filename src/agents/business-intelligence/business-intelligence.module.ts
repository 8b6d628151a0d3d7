import { Module } from '@nestjs/common';
import { InvoiceRepository } from '../invoicing/invoice.repository.js';
import { BusinessIntelligenceAgent } from './business-intelligence.agent.js';
import { LedgerRepository } from './ledger.repository.js';
import { ProjectRepository } from './project.repository.js';

/** Agent #1. Reads agent #15's ledger (clients, invoices, payments) directly, in SQL. */
@Module({ providers: [ProjectRepository, LedgerRepository, InvoiceRepository, BusinessIntelligenceAgent] })
export class BusinessIntelligenceModule {}
