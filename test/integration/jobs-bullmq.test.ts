import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { ConfigModule } from '../../src/config/config.module.js';
import { OnJob } from '../../src/orchestrator/jobs/job-handler.registry.js';
import { JobQueue, type JobContext } from '../../src/orchestrator/jobs/job-queue.port.js';
import { PAIOS_QUEUE } from '../../src/orchestrator/jobs/bullmq-job-queue.js';
import { JobsModule } from '../../src/orchestrator/jobs/jobs.module.js';
import { testConfig } from '../support/config.js';
import { redisAvailable, REDIS_TEST_URL } from '../support/services.js';
import { waitFor } from '../support/wait.js';

declare module '../../src/orchestrator/jobs/job-queue.port.js' {
  interface JobPayloads {
    'test.bull-flaky': { key: string; failTimes: number };
    'test.bull-echo': { text: string };
  }
}

@Injectable()
class TestHandlers {
  readonly attempts = new Map<string, JobContext[]>();
  readonly echoes: string[] = [];

  @OnJob('test.bull-flaky')
  async flaky(payload: { key: string; failTimes: number }, ctx: JobContext): Promise<void> {
    this.attempts.set(payload.key, [...(this.attempts.get(payload.key) ?? []), ctx]);
    if (ctx.attempt <= payload.failTimes) throw new Error(`refused on attempt ${ctx.attempt}`);
  }

  @OnJob('test.bull-echo')
  async echo(payload: { text: string }): Promise<void> {
    this.echoes.push(payload.text);
  }
}

const describeIfRedis = (await redisAvailable()) ? describe : describe.skip;

describeIfRedis('BullMQ job queue (real Redis)', () => {
  const prefix = `paios-test-${process.pid}-${Date.now()}`;
  let app: INestApplicationContext;
  let queue: JobQueue;
  let handlers: TestHandlers;

  beforeAll(async () => {
    const config = testConfig({ REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: prefix, JOBS_CONCURRENCY: '2' });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), JobsModule.forRoot(config, { processJobs: true })],
      providers: [TestHandlers],
    }).compile();
    app = await moduleRef.init();
    queue = app.get(JobQueue);
    handlers = app.get(TestHandlers);
  });

  afterAll(async () => {
    await app?.close();
    const q = new Queue(PAIOS_QUEUE, { connection: { url: REDIS_TEST_URL }, prefix });
    await q.obliterate({ force: true });
    await q.close();
  });

  it('uses the BullMQ driver in server mode', () => {
    expect(queue.driver).toBe('bullmq');
  });

  it('retries a job after a thrown error, with backoff, until it succeeds', async () => {
    const started = Date.now();
    await queue.enqueue(
      'test.bull-flaky',
      { key: 'a', failTimes: 2 },
      { attempts: 4, backoff: { type: 'fixed', delayMs: 200 } },
    );
    await waitFor(() => (handlers.attempts.get('a') ?? []).length === 3, 30_000);
    const attempts = handlers.attempts.get('a')!;
    expect(attempts.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(attempts[0]?.maxAttempts).toBe(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400); // two backoffs of 200 ms
    const bull = new Queue(PAIOS_QUEUE, { connection: { url: REDIS_TEST_URL }, prefix });
    const job = await bull.getJob(attempts[0]!.id);
    expect(await job?.getState()).toBe('completed');
    await bull.close();
  });

  it('gives up after the last attempt and keeps the job as failed', async () => {
    const { id } = await queue.enqueue(
      'test.bull-flaky',
      { key: 'b', failTimes: 9 },
      { attempts: 2, backoff: { type: 'fixed', delayMs: 50 } },
    );
    await waitFor(() => (handlers.attempts.get('b') ?? []).length === 2, 30_000);
    const bull = new Queue(PAIOS_QUEUE, { connection: { url: REDIS_TEST_URL }, prefix });
    await waitFor(async () => (await (await bull.getJob(id))?.getState()) === 'failed', 30_000);
    expect((await bull.getJob(id))?.failedReason).toBe('refused on attempt 2');
    await bull.close();
  });

  it('queues a job once per idempotency key', async () => {
    const first = await queue.enqueue(
      'test.bull-echo',
      { text: 'INV-7' },
      { idempotencyKey: 'invoice:INV-7', delayMs: 300 },
    );
    const second = await queue.enqueue('test.bull-echo', { text: 'INV-7 again' }, { idempotencyKey: 'invoice:INV-7' });
    expect(second).toEqual({ id: first.id, duplicate: true });
    await waitFor(() => handlers.echoes.includes('INV-7'), 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(handlers.echoes.filter((e) => e.startsWith('INV-7'))).toEqual(['INV-7']);
  });

  it('runs a repeatable job on its cron pattern until unscheduled', async () => {
    await queue.schedule('tick', 'test.bull-echo', { text: 'tick' }, { cron: '* * * * * *' });
    await waitFor(() => handlers.echoes.filter((e) => e === 'tick').length >= 2, 30_000);
    expect(await queue.unschedule('tick')).toBe(true);
    await expect(queue.schedule('bad', 'test.bull-echo', { text: 'x' }, { cron: '99 * * * *' })).rejects.toThrow(
      /invalid cron pattern/,
    );
  });
});
