import { Module } from '@nestjs/common';
import { LedgerRepository } from './ledger.repository.js';

/**
 * The ledger shared between agents: money in exact minor units (money.ts), the read side of agent
 * #15's clients, invoices and payments (LedgerRepository), and the Stripe account money moves
 * through (StripeLinks, StripeAccounts). An agent that needs another's ledger data imports this
 * module, never that agent's folder.
 */
@Module({ providers: [LedgerRepository], exports: [LedgerRepository] })
export class LedgerModule {}
