import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ToolTransaction } from '../../sdk/agent.contract.js';
import { returnedRows } from '../../database/query-result.js';
import { SystemEvents } from './system-events.js';

/** Who raised an event: the user, the agent and the request of the tool call. */
export interface EventOrigin {
  userId: string;
  agentNumber: number;
  requestId: string;
}

/** A stored event; `id` is stable across relays, so consumers derive their idempotency keys from it. */
export interface OutboxEvent extends EventOrigin {
  id: string;
  name: string;
  payload: Record<string, unknown>;
}

/** Turns an event into its effects (workflow jobs); must be idempotent per event id. */
export type OutboxConsumer = (event: OutboxEvent) => Promise<void>;

/** Pending rows are looked for this often, besides right after each commit and at boot. */
export const OUTBOX_RELAY_INTERVAL_MS = 5_000;
/** Relayed rows are kept this long (for inspection), then deleted. */
const RELAYED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const BATCH = 100;

interface Row {
  id: string;
  user_id: string;
  agent_number: number;
  name: string;
  payload: Record<string, unknown>;
  request_id: string | null;
}

/**
 * The transactional outbox of agent events. A tool's state change and its events commit in one
 * transaction (`transaction`), so a kill right after the commit cannot lose the event; the relay
 * hands rows to consumers (the workflow engine) after commit, again at boot and every few seconds
 * for any row not yet marked relayed. A row may reach consumers more than once (a crash between
 * the hand-over and the mark, two processes relaying): consumers key their work on the event id.
 */
@Injectable()
export class EventOutbox implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventOutbox');
  private readonly consumers = new Set<OutboxConsumer>();
  private readonly inflight = new Set<Promise<unknown>>();
  /** One relay at a time in this process; a request made meanwhile runs right after. */
  private chain: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private lastPrune = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: SystemEvents,
  ) {}

  /** Registers a consumer; returns the function that removes it. */
  consume(consumer: OutboxConsumer): () => void {
    this.consumers.add(consumer);
    return () => this.consumers.delete(consumer);
  }

  onApplicationBootstrap(): void {
    // Rows a killed process committed but never relayed.
    void this.relay();
    this.timer = setInterval(() => void this.relay(), OUTBOX_RELAY_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.settled();
  }

  /** Resolves when every relay started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /** Writes events inside `em`'s transaction; they are relayed only once it commits. */
  async append(
    em: EntityManager,
    origin: EventOrigin,
    events: { name: string; payload: Record<string, unknown> }[],
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const e of events) {
      const [row] = await em.query<{ id: string }[]>(
        `INSERT INTO event_outbox (user_id, agent_number, name, payload, request_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [origin.userId, origin.agentNumber, e.name, JSON.stringify(e.payload ?? {}), origin.requestId],
      );
      ids.push(row!.id);
    }
    return ids;
  }

  /**
   * Runs `work` in one transaction; events it emits are written in that transaction and relayed
   * after commit. Nothing is relayed when `work` throws (the transaction rolls back).
   */
  async transaction<T>(origin: EventOrigin, work: (tx: ToolTransaction) => Promise<T>): Promise<T> {
    const ids: string[] = [];
    const result = await this.dataSource.transaction((manager) =>
      work({
        manager,
        emit: async (name, payload) => {
          ids.push(...(await this.append(manager, origin, [{ name, payload }])));
        },
      }),
    );
    if (ids.length) await this.relay(ids);
    return result;
  }

  /** Stores events raised outside a transaction (a tool's returned `events`) and relays them. */
  async record(origin: EventOrigin, events: { name: string; payload: Record<string, unknown> }[]): Promise<void> {
    if (events.length === 0) return;
    const ids = await this.dataSource.transaction((em) => this.append(em, origin, events));
    await this.relay(ids);
  }

  /**
   * Hands pending rows (only `ids`, or every pending one) to the consumers and marks each relayed.
   * Never throws: a row whose consumer failed stays pending and is tried again on the next pass.
   */
  relay(ids?: string[]): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    const run = this.chain.then(() => this.relayPending(ids));
    const tracked = run.catch((err: unknown) => {
      this.logger.error(`event relay failed: ${(err as Error).message}`);
      return 0;
    });
    this.chain = tracked;
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
    return tracked;
  }

  private async relayPending(ids?: string[]): Promise<number> {
    let relayed = 0;
    for (;;) {
      const rows = await this.dataSource.query<Row[]>(
        `SELECT id, user_id, agent_number, name, payload, request_id FROM event_outbox
          WHERE relayed_at IS NULL ${ids ? 'AND id = ANY($2::uuid[])' : ''}
          ORDER BY created_at, id LIMIT $1`,
        ids ? [BATCH, ids] : [BATCH],
      );
      let progressed = false;
      for (const row of rows) {
        if (this.stopped) return relayed;
        if (await this.relayOne(row)) {
          relayed++;
          progressed = true;
        }
      }
      // A full batch with progress may have more behind it; a failing batch waits for the next pass.
      if (rows.length < BATCH || !progressed || ids) break;
    }
    await this.pruneRelayed();
    return relayed;
  }

  private async relayOne(row: Row): Promise<boolean> {
    const event: OutboxEvent = {
      id: row.id,
      userId: row.user_id,
      agentNumber: row.agent_number,
      name: row.name,
      payload: row.payload ?? {},
      requestId: row.request_id ?? row.id,
    };
    try {
      for (const consumer of this.consumers) await consumer(event);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.dataSource.query(`UPDATE event_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
        row.id,
        message.slice(0, 1000),
      ]);
      this.logger.warn(`event ${row.name} ${row.id} not relayed yet, will retry: ${message}`);
      return false;
    }
    const marked = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE event_outbox SET relayed_at = NOW(), attempts = attempts + 1, last_error = NULL
          WHERE id = $1 AND relayed_at IS NULL RETURNING id`,
        [row.id],
      ),
    );
    // Another process may have relayed it meanwhile; only the one that marked it tells the clients.
    if (marked.length === 1) {
      this.events.emit('agent:event', event.userId, {
        agentNumber: event.agentNumber,
        name: event.name,
        payload: event.payload,
        requestId: event.requestId,
      });
    }
    return true;
  }

  /** Drops relayed rows past retention, at most once a minute. */
  private async pruneRelayed(): Promise<void> {
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    await this.dataSource.query(
      `DELETE FROM event_outbox WHERE relayed_at < NOW() - ($1::bigint * INTERVAL '1 millisecond')`,
      [RELAYED_RETENTION_MS],
    );
  }
}
