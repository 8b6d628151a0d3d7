import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Attachment } from '../../sdk/agent.contract.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import { returnedRows } from '../../database/query-result.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { ExecutorService } from '../../orchestrator/executor/executor.service.js';
import { OnJob } from '../../orchestrator/jobs/job-handler.registry.js';
import { JobQueue, type JobContext, type ScheduleStatus } from '../../orchestrator/jobs/job-queue.port.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import type { ChatAddress, Platform, Reply } from '../chat.contract.js';
import { AdapterHub } from '../core/adapter-hub.js';
import { parseDigestCommand } from './digest-schedule.js';
import type { ChatCommand, ChatCommandInput } from '../../orchestrator/turn/turn.ports.js';

declare module '../../orchestrator/jobs/job-queue.port.js' {
  interface JobPayloads {
    'chat.digest': { subscriptionId: string };
  }
}

export interface DigestSubscription {
  id: string;
  userId: string;
  address: ChatAddress;
  cron: string;
  timezone: string;
  description: string;
  lastSentAt: Date | null;
}

interface Row {
  id: string;
  user_id: string;
  platform: string;
  workspace: string;
  channel: string;
  thread: string | null;
  cron: string;
  timezone: string;
  description: string;
  last_sent_at: Date | null;
}

const toSubscription = (r: Row): DigestSubscription => ({
  id: r.id,
  userId: r.user_id,
  address: {
    platform: r.platform as Platform,
    workspace: r.workspace,
    channel: r.channel,
    thread: r.thread ?? undefined,
  },
  cron: r.cron,
  timezone: r.timezone,
  description: r.description,
  lastSentAt: r.last_sent_at,
});

const schedulerId = (id: string) => `chat.digest:${id}`;

/**
 * Scheduled digests: "send me a digest every weekday at 8:00 in this channel" becomes a row (who,
 * where, when) and a repeatable job; each run collects every agent's digest tool (#1 daily_digest
 * first) and posts the result to that chat. Rows are the truth: schedules are re-created from them
 * at boot, so nothing is lost when Redis is emptied or the process restarts.
 */
@Injectable()
export class DigestService implements OnApplicationBootstrap, ChatCommand {
  private readonly logger = new Logger('Digests');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly registry: AgentRegistry,
    private readonly executor: ExecutorService,
    private readonly hub: AdapterHub,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rows = await this.db.query<Row[]>(`SELECT * FROM digest_subscriptions`);
    for (const row of rows) await this.scheduleJob(toSubscription(row));
  }

  /** Answers a digest command said in chat at `address`, or null when the text is not one. */
  async handle({ user, address, text }: ChatCommandInput): Promise<Reply | null> {
    const userId = user.id;
    const command = parseDigestCommand(text);
    if (!command) return null;
    if (command.kind === 'list') {
      const subs = await this.list(userId);
      if (subs.length === 0)
        return { text: 'You have no scheduled digests. Try "send me a digest every weekday at 8:00".' };
      const runs = await this.jobs.describeSchedules(subs.map((s) => schedulerId(s.id)));
      return {
        text: [
          'Your digests:',
          ...subs.map(
            (s) =>
              `- ${s.description} (${s.timezone}) in ${describe(s.address)}; ${runLine(runs.get(schedulerId(s.id)), s.timezone)}`,
          ),
        ].join('\n'),
      };
    }
    if (command.kind === 'unsubscribe') {
      const removed = await this.unsubscribe(userId, address);
      return {
        text: removed
          ? 'Done: no more digests here.'
          : 'There was no digest scheduled for you here. Say "which digests do I get" to see them all.',
      };
    }
    const sub = await this.subscribe(userId, address, command.cron, command.description);
    return {
      text: `Done: a digest ${sub.description} (${sub.timezone}) here. Say "stop my digest" here to cancel it.`,
    };
  }

  async subscribe(
    userId: string,
    address: ChatAddress,
    cron: string,
    description: string,
  ): Promise<DigestSubscription> {
    const [row] = await this.db.query<Row[]>(
      `INSERT INTO digest_subscriptions (user_id, platform, workspace, channel, thread, cron, timezone, description)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (user_id, platform, workspace, channel)
       DO UPDATE SET cron = EXCLUDED.cron, timezone = EXCLUDED.timezone, description = EXCLUDED.description, thread = EXCLUDED.thread
       RETURNING *`,
      [
        userId,
        address.platform,
        address.workspace,
        address.channel,
        address.thread ?? null,
        cron,
        this.config.timezone,
        description,
      ],
    );
    const sub = toSubscription(row!);
    await this.scheduleJob(sub);
    return sub;
  }

  async unsubscribe(userId: string, address: ChatAddress): Promise<boolean> {
    const deleted = returnedRows<Row>(
      await this.db.query(
        `DELETE FROM digest_subscriptions WHERE user_id = $1 AND platform = $2 AND workspace = $3 AND channel = $4 RETURNING *`,
        [userId, address.platform, address.workspace, address.channel],
      ),
    );
    for (const r of deleted) await this.jobs.unschedule(schedulerId(r.id));
    return deleted.length > 0;
  }

  async list(userId: string): Promise<DigestSubscription[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM digest_subscriptions WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
    return rows.map(toSubscription);
  }

  /** Runs every agent's digest tool for the user, #1 first, and joins the answers into one reply. */
  async compose(userId: string): Promise<Reply> {
    const tools = this.registry
      .catalog()
      .filter((t) => t.name === 'daily_digest' || t.name.endsWith('_digest'))
      .sort((a, b) => a.agentNumber - b.agentNumber || a.name.localeCompare(b.name));
    if (tools.length === 0) return { text: 'No agent offers a digest right now.' };
    const sections: string[] = [];
    const attachments: Attachment[] = [];
    for (const tool of tools) {
      const res = await this.executor.execute({
        userId,
        agentNumber: tool.agentNumber,
        tool: tool.name,
        parameters: {},
        commandText: `(scheduled digest) #${tool.agentNumber} ${tool.name}`,
        caller: { kind: 'digest', direct: false },
      });
      const body = res.success ? (res.text ?? '') : `(unavailable: ${res.error ?? 'failed'})`;
      sections.push(tools.length > 1 ? `**#${tool.agentNumber} ${tool.agentName}**\n${body}` : body);
      attachments.push(...(res.attachments ?? []));
    }
    return { text: sections.join('\n\n'), attachments };
  }

  @OnJob('chat.digest')
  async deliver(payload: { subscriptionId: string }, job?: JobContext): Promise<void> {
    const [row] = await this.db.query<Row[]>(`SELECT * FROM digest_subscriptions WHERE id = $1`, [
      payload.subscriptionId,
    ]);
    if (!row) {
      // Unsubscribed between the schedule firing and this run.
      await this.jobs.unschedule(schedulerId(payload.subscriptionId));
      return;
    }
    const sub = toSubscription(row);
    const reply = await this.compose(sub.userId);
    // A digest caught up after paios was down says which one it is, rather than pass for today's.
    if (job?.schedule?.late)
      reply.text = `(Late: this digest was due ${when(job.schedule.dueAt, sub.timezone)}.)\n${reply.text}`;
    await this.hub.send(sub.address, reply);
    await this.db.query(`UPDATE digest_subscriptions SET last_sent_at = now() WHERE id = $1`, [sub.id]);
    this.logger.log(`digest ${sub.id} sent to ${sub.address.platform}${job?.schedule?.late ? ' (late)' : ''}`);
  }

  private async scheduleJob(sub: DigestSubscription): Promise<void> {
    await this.jobs.schedule(
      schedulerId(sub.id),
      'chat.digest',
      { subscriptionId: sub.id },
      { cron: sub.cron, tz: sub.timezone, attempts: 3, backoff: { type: 'exponential', delayMs: 30_000 } },
    );
  }
}

function describe(a: ChatAddress): string {
  return a.platform === 'console' ? 'the console' : `${a.platform} channel ${a.channel}`;
}

/** "2026-12-01 08:00" in the subscription's time zone. */
function when(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** "last sent 2026-12-01 08:00 (sent, late: due 07:00...), next 2026-12-02 08:00". */
function runLine(status: ScheduleStatus | undefined, timeZone: string): string {
  if (!status) return 'not scheduled right now';
  const next = `next ${when(status.nextRunAt, timeZone)}`;
  const last = status.lastRun;
  if (!last) return `not sent yet, ${next}`;
  const outcome = {
    succeeded: 'sent',
    running: 'being sent',
    retrying: 'failed, retrying',
    failed: 'failed',
  }[last.outcome];
  const late = last.late ? `, late: due ${when(last.dueAt, timeZone)}` : '';
  return `last run ${when(last.startedAt, timeZone)} (${outcome}${late}), ${next}`;
}
