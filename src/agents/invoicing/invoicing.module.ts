import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../../orchestrator/jobs/job-queue.port.js';
import { InvoiceRepository } from './invoice.repository.js';
import { InvoicingAgent } from './invoicing.agent.js';

/** Agent #15, its daily overdue check and its weekly-per-invoice payment reminders. */
@Module({ providers: [InvoiceRepository, InvoicingAgent] })
export class InvoicingModule implements OnApplicationBootstrap {
  constructor(private readonly jobs: JobQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('invoicing.mark-overdue', 'invoicing.mark-overdue', {}, { cron: '5 0 * * *' });
    await this.jobs.schedule('invoicing.send-reminders', 'invoicing.send-reminders', {}, { cron: '0 9 * * *' });
  }
}
