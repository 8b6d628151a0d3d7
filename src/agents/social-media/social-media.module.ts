import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../../orchestrator/jobs/job-queue.port.js';
import { DUE_JOB } from './social-media.agent.js';
import { SocialMediaAgent } from './social-media.agent.js';
import { SocialPostRepository } from './social-post.repository.js';

/** Agent #8 and its minute sweep of due posts (scheduled ones, retries, and those missed while down). */
@Module({ providers: [SocialPostRepository, SocialMediaAgent] })
export class SocialMediaModule implements OnApplicationBootstrap {
  constructor(private readonly jobs: JobQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(DUE_JOB, DUE_JOB, {}, { cron: '* * * * *', attempts: 1 });
    // Catch up at once on what fell due while paios was down.
    await this.jobs.enqueue(DUE_JOB, {}, { attempts: 1 });
  }
}
