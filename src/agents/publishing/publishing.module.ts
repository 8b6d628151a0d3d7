import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../../orchestrator/jobs/job-queue.port.js';
import { PostRepository } from './post.repository.js';
import { DUE_JOB, PublishingAgent } from './publishing.agent.js';

/** Agent #29 and the once-a-minute job that publishes scheduled posts. */
@Module({ providers: [PostRepository, PublishingAgent], exports: [PublishingAgent] })
export class PublishingModule implements OnApplicationBootstrap {
  constructor(private readonly jobs: JobQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(DUE_JOB, DUE_JOB, {}, { cron: '* * * * *', attempts: 1 });
  }
}
