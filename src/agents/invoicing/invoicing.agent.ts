import { Inject, Injectable } from '@nestjs/common';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { InvoiceMailer } from './invoice-mailer.js';
import { storeInvoicePdf } from './invoice-pdf.js';
import { StripeLinks } from './stripe-links.js';
import { defineAgent, type AgentDefinition } from '../agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../builtin-agent.decorator.js';
import { OnJob } from '../../orchestrator/jobs/job-handler.registry.js';
import { InvoiceRepository } from './invoice.repository.js';
import { invoicingConfigSchema } from './invoicing.config.js';
import { clientTools } from './tools/client.tools.js';
import { invoiceTools } from './tools/invoice.tools.js';

declare module '../../orchestrator/jobs/job-queue.port.js' {
  interface JobPayloads {
    'invoicing.mark-overdue': Record<string, never>;
  }
}

/** Agent #15, Invoicing: clients, invoices in exact minor units, numbering, payments, voids. */
@BuiltinAgent()
@Injectable()
export class InvoicingAgent implements AgentProvider {
  private readonly def: AgentDefinition;

  constructor(
    private readonly repo: InvoiceRepository,
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
  ) {
    this.def = defineAgent({
      manifest: {
        number: 15,
        name: 'invoicing',
        description: 'Clients and invoices: create, number, PDF, track payments, overdue',
        version: '0.1.0',
        configSchema: invoicingConfigSchema,
        secrets: ['SMTP_URL', 'STRIPE_API_KEY'],
        events: ['invoice.created', 'invoice.paid'],
      },
      tools: [
        ...clientTools(repo),
        ...invoiceTools(
          repo,
          (userId, invoice, c) => storeInvoicePdf(config.dataDir, userId, invoice, c.sender),
          new InvoiceMailer(config.mail.smtpUrl, config.mail.from),
          config.stripe.apiKey ? new StripeLinks(config.stripe.apiKey, config.stripe.apiBase) : undefined,
        ),
      ],
    });
  }

  definition(): AgentDefinition {
    return this.def;
  }

  @OnJob('invoicing.mark-overdue')
  async markOverdue(): Promise<void> {
    await this.repo.markOverdue();
  }
}
