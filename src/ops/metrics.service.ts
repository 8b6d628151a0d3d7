import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { JobObserver, JobOutcome } from '../orchestrator/jobs/job-queue.port.js';

/** Prometheus metrics of this process: Node defaults, HTTP requests, jobs. */
@Injectable()
export class MetricsService implements JobObserver {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly jobs: Counter<'name' | 'outcome'>;
  private readonly jobDuration: Histogram<'name'>;

  constructor() {
    this.registry.setDefaultLabels({ app: 'paios' });
    collectDefaultMetrics({ register: this.registry, prefix: 'paios_' });
    this.httpDuration = new Histogram({
      name: 'paios_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.jobs = new Counter({
      name: 'paios_jobs_total',
      help: 'Finished job runs by name and outcome',
      labelNames: ['name', 'outcome'],
      registers: [this.registry],
    });
    this.jobDuration = new Histogram({
      name: 'paios_job_duration_seconds',
      help: 'Job run duration by name',
      labelNames: ['name'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
      registers: [this.registry],
    });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  jobFinished(name: string, outcome: JobOutcome, durationMs: number): void {
    this.jobs.inc({ name, outcome });
    this.jobDuration.observe({ name }, durationMs / 1000);
  }
}
