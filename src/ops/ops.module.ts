import { Global, Module } from '@nestjs/common';
import { JOB_OBSERVER } from '../orchestrator/jobs/jobs.tokens.js';
import { MetricsService } from './metrics.service.js';

/** Metrics shared by every module (jobs report through JOB_OBSERVER). */
@Global()
@Module({
  providers: [MetricsService, { provide: JOB_OBSERVER, useExisting: MetricsService }],
  exports: [MetricsService, JOB_OBSERVER],
})
export class OpsModule {}
