import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { daysBetween } from '../../common/clock.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { storeInvoicePdf } from './invoice-pdf.js';
import { OutsideServices } from './outside-services.js';
import { VaultService } from '../../vault/vault.service.js';
import { defineAgent, type AgentDefinition } from '../../sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../sdk/builtin-agent.decorator.js';
import { OnJob } from '../../orchestrator/jobs/job-handler.registry.js';
import { InvoiceRepository } from './invoice.repository.js';
import { invoicingConfigSchema } from './invoicing.config.js';
import { clientTools } from './tools/client.tools.js';
import { invoiceTools } from './tools/invoice.tools.js';
import { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';

declare module '../../orchestrator/jobs/job-queue.port.js' {
  interface JobPayloads {
    'invoicing.mark-overdue': Record<string, never>;
    'invoicing.send-reminders': Record<string, never>;
  }
}

/** Agent #15, Invoicing: clients, invoices in exact minor units, numbering, payments, voids. */
@BuiltinAgent()
@Injectable()
export class InvoicingAgent implements AgentProvider {
  private readonly def: AgentDefinition;
  private readonly logger = new Logger('Invoicing');
  private readonly services: OutsideServices;

  constructor(
    private readonly repo: InvoiceRepository,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    outbound: OutboundClient,
    @Optional() vault?: VaultService,
  ) {
    this.services = new OutsideServices(config, 15, outbound, vault);
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
          this.services,
        ),
      ],
      vocabulary: (userId) => repo.clientNames(userId),
    });
  }

  definition(): AgentDefinition {
    return this.def;
  }

  @OnJob('invoicing.mark-overdue')
  async markOverdue(): Promise<void> {
    await this.repo.markOverdue();
  }

  /** Daily: one reminder per overdue invoice per week, to clients with an email address. */
  @OnJob('invoicing.send-reminders')
  async sendReminders(): Promise<number> {
    let sent = 0;
    for (const { userId, invoice, previous } of await this.repo.claimReminders(7)) {
      try {
        const mailer = await this.services.mailer(userId);
        if (!mailer.configured) {
          await this.repo.releaseReminder(invoice.id, previous);
          continue;
        }
        const { pdf } = await storeInvoicePdf(this.config.dataDir, userId, invoice, undefined);
        const daysLate = Math.max(1, daysBetween(invoice.dueDate, this.repo.today()));
        await mailer.remind(invoice, pdf, daysLate);
        sent++;
      } catch (err) {
        // Not sent: let tomorrow's run try again.
        await this.repo.releaseReminder(invoice.id, previous);
        this.logger.warn(`reminder for ${invoice.number} not sent: ${(err as Error).message}`);
      }
    }
    if (sent) this.logger.log(`sent ${sent} payment reminder(s)`);
    return sent;
  }
}
