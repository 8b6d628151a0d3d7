import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AgentResponse } from '../../sdk/agent.contract.js';
import { AgentEntity, AgentWorkflowEntity } from '../../database/entities/index.js';
import { returnedRows } from '../../database/query-result.js';
import { EventOutbox } from '../events/event-outbox.js';
import { SystemEvents } from '../events/system-events.js';
import { ExecutorService } from '../executor/executor.service.js';
import { OnJob } from '../jobs/job-handler.registry.js';
import { JobQueue, type JobContext } from '../jobs/job-queue.port.js';
import { USER_NOTIFIER, type UserNotifier } from '../notifications/user-notifier.port.js';
import { actionSchema, matches, render, triggerSchema } from './workflow-definition.js';

export interface WorkflowRunPayload {
  workflowId: string;
  userId: string;
  /** Identifies the triggering event: the same event never runs a workflow twice. */
  eventKey: string;
  event: { agentNumber: number; name: string; payload: Record<string, unknown> };
}

declare module '../jobs/job-queue.port.js' {
  interface JobPayloads {
    'workflow.run': WorkflowRunPayload;
  }
}

export class WorkflowActionFailed extends Error {
  override name = 'WorkflowActionFailed';
}

/**
 * Agent-to-agent workflows: an event raised by a tool of the source agent (relayed from the outbox
 * after its transaction committed) that meets a workflow's trigger enqueues its action as a job
 * (idempotency key = workflow + outbox event id), and the job calls the
 * target agent's tool through the executor. A ledger row per (workflow, event) and the idempotency
 * key handed to the tool make retries and crashes harmless: the action takes effect once.
 */
@Injectable()
export class WorkflowEngine implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Workflows');
  private off?: () => void;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: SystemEvents,
    private readonly outbox: EventOutbox,
    private readonly jobs: JobQueue,
    private readonly executor: ExecutorService,
    /** The chat side, when this process has one: tells the owner about a run that failed for good. */
    @Optional() @Inject(USER_NOTIFIER) private readonly notifier?: UserNotifier,
  ) {}

  onModuleInit(): void {
    // Events come from the outbox, after the transaction that raised them committed; the event id
    // keys the jobs, so relaying an event twice (a crash before it was marked) queues nothing more.
    this.off = this.outbox.consume(async (e) => {
      await this.onEvent(e.userId, e.agentNumber, e.name, e.payload, `event:${e.id}`);
    });
  }

  onModuleDestroy(): void {
    this.off?.();
  }

  /** Resolves when every event stored so far has been turned into jobs (tests, shutdown). */
  async settled(): Promise<void> {
    await this.outbox.settled();
  }

  /** Enqueues the action of every active workflow of this user that the event triggers. */
  async onEvent(
    userId: string,
    agentNumber: number,
    name: string,
    payload: Record<string, unknown>,
    eventKey: string,
  ): Promise<number> {
    const workflows = await this.dataSource
      .getRepository(AgentWorkflowEntity)
      .createQueryBuilder('w')
      .innerJoin(AgentEntity, 'src', 'src.id = w.source_agent_id')
      .where('w.user_id = :userId AND src.agent_number = :agentNumber AND w.is_active IS NOT FALSE', {
        userId,
        agentNumber,
      })
      .getMany();
    let queued = 0;
    for (const wf of workflows) {
      const trigger = triggerSchema.safeParse(wf.triggerConditions ?? {});
      if (!trigger.success || trigger.data.event !== name || !matches(trigger.data.when, payload)) continue;
      const job = await this.jobs.enqueue(
        'workflow.run',
        { workflowId: wf.id, userId, eventKey, event: { agentNumber, name, payload } },
        {
          idempotencyKey: `workflow:${wf.id}:${eventKey}`,
          attempts: 3,
          backoff: { type: 'exponential', delayMs: 1000 },
        },
      );
      if (!job.duplicate) {
        queued++;
        this.events.emit('workflow:triggered', userId, {
          workflowId: wf.id,
          data: { event: name, payload, jobId: job.id },
        });
      }
    }
    return queued;
  }

  @OnJob('workflow.run')
  async run(p: WorkflowRunPayload, job: JobContext): Promise<void> {
    const wf = await this.dataSource
      .getRepository(AgentWorkflowEntity)
      .findOneBy({ id: p.workflowId, userId: p.userId });
    if (!wf || wf.isActive === false || !wf.targetAgentId) {
      this.logger.log(`workflow ${p.workflowId} is gone or paused; event ${p.eventKey} dropped`);
      return;
    }
    const target = await this.dataSource.getRepository(AgentEntity).findOneBy({ id: wf.targetAgentId });
    const action = actionSchema.safeParse(wf.actions ?? {});
    if (!target || !action.success) {
      const why = target ? 'its action is not valid' : 'its target agent is gone';
      this.logger.warn(`workflow ${wf.id}: ${why}; event ${p.eventKey} dropped`);
      await this.tellOwner(p, `${why}, so it did not run`);
      return;
    }
    const what = `#${target.agentNumber} ${target.name} ${action.data.tool}`;
    try {
      await this.runAction(wf.id, p, target.agentNumber, action.data, job);
    } catch (err) {
      // Only after the last retry: a failure that a retry may still fix is not news.
      if (job.attempt >= job.maxAttempts) {
        const attempts = job.maxAttempts === 1 ? 'once' : `${job.maxAttempts} times`;
        await this.tellOwner(p, `${what} failed ${attempts}: ${(err as Error).message}`);
      }
      throw err;
    }
  }

  private async runAction(
    workflowId: string,
    p: WorkflowRunPayload,
    agentNumber: number,
    action: { tool: string; parameters: Record<string, unknown> },
    job: JobContext,
  ): Promise<void> {
    // The ledger: claim (workflow, event), or find it already done.
    await this.dataSource.query(
      `INSERT INTO workflow_runs (workflow_id, user_id, event_key, event) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workflow_id, event_key) DO NOTHING`,
      [workflowId, p.userId, p.eventKey, JSON.stringify(p.event)],
    );
    const [run] = returnedRows<{ id: string; status: string }>(
      await this.dataSource.query(
        `UPDATE workflow_runs SET attempts = attempts + 1, updated_at = NOW()
          WHERE workflow_id = $1 AND event_key = $2 RETURNING id, status`,
        [workflowId, p.eventKey],
      ),
    );
    if (run?.status === 'succeeded') return;

    const parameters = render(action.parameters, p.event) as Record<string, unknown>;
    const response: AgentResponse = await this.executor.execute({
      userId: p.userId,
      agentNumber,
      tool: action.tool,
      parameters,
      idempotencyKey: `workflow:${workflowId}:${p.eventKey}`,
      commandText: `workflow ${workflowId}: ${p.event.name} -> #${agentNumber} ${action.tool}`,
      caller: { kind: 'workflow', direct: false },
    });
    await this.dataSource.query(
      `UPDATE workflow_runs SET status = $2, response = $3, updated_at = NOW() WHERE id = $1`,
      [
        run!.id,
        response.success ? 'succeeded' : job.attempt >= job.maxAttempts ? 'failed' : 'running',
        JSON.stringify(
          response.sensitive
            ? { success: response.success, sensitive: true, text: '(withheld)' }
            : { success: response.success, text: response.text, error: response.error },
        ),
      ],
    );
    if (!response.success)
      throw new WorkflowActionFailed(
        response.sensitive ? 'the action failed' : (response.error ?? 'the action failed'),
      );
  }

  /** Tells the workflow's owner in chat that an event's run will not happen; never fails the job for it. */
  private async tellOwner(p: WorkflowRunPayload, problem: string): Promise<void> {
    const text =
      `⚠️ A workflow did not run: when #${p.event.agentNumber} raised **${p.event.name}**, ${problem}.\n` +
      `Workflow \`${p.workflowId}\` is unchanged; fix or pause it with \`PUT /api/workflows/${p.workflowId}\`.`;
    try {
      const where = await this.notifier?.notify(p.userId, { text });
      this.logger.log(`workflow ${p.workflowId}: owner told ${where ? `on ${where}` : 'nowhere (no chat)'}`);
    } catch (err) {
      this.logger.warn(`workflow ${p.workflowId}: could not tell the owner: ${(err as Error).message}`);
    }
  }
}
