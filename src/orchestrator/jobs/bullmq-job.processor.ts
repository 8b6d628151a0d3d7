import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { PAIOS_QUEUE, SCHEDULE_META, scheduleOf } from './bullmq-job-queue.js';
import { ScheduleLedger } from './schedule-ledger.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { JOB_OBSERVER, NOOP_JOB_OBSERVER } from './jobs.tokens.js';
import type { JobObserver } from './job-queue.port.js';

/** Consumes the BullMQ queue and dispatches each job to its registered handler. */
@Processor(PAIOS_QUEUE)
export class BullmqJobProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('BullmqJobProcessor');

  constructor(
    private readonly handlers: JobHandlerRegistry,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    @Optional() @Inject(JOB_OBSERVER) private readonly observer: JobObserver = NOOP_JOB_OBSERVER,
    @Optional() private readonly ledger?: ScheduleLedger,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.jobs.concurrency;
  }

  async process(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name);
    const started = performance.now();
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    try {
      if (!handler) throw new Error(`no handler is registered for job "${job.name}"`);
      const context = { id: job.id ?? '', name: job.name, attempt, maxAttempts };
      const schedule = this.ledger ? scheduleOf(job) : undefined;
      if (schedule) {
        const { [SCHEDULE_META]: _meta, ...payload } = (job.data ?? {}) as Record<string, unknown>;
        const ran = await this.ledger!.run(schedule, context, (info) =>
          handler(payload, { ...context, schedule: info }),
        );
        if (ran === 'duplicate') this.logger.log(`job ${job.name} ${job.id}: due time already run, skipped`);
      } else {
        await handler(job.data, context);
      }
      this.observer.jobFinished(job.name, 'completed', performance.now() - started);
    } catch (err) {
      const retrying = attempt < maxAttempts;
      this.observer.jobFinished(job.name, retrying ? 'retrying' : 'failed', performance.now() - started);
      this.logger.warn(
        `job ${job.name} ${job.id} failed (attempt ${attempt}/${maxAttempts})${retrying ? ', will retry' : ''}: ${(err as Error).message}`,
      );
      throw err;
    }
  }
}
