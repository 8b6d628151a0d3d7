import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../common/errors.js';
import type { ChatPlace } from '../../sdk/agent.contract.js';
import { ToolError } from '../../sdk/tool-error.js';

export interface PageWatch {
  id: string;
  userId: string;
  url: string;
  selector: string | null;
  cron: string;
  every: string;
  chat: ChatPlace | null;
  createdAt: Date;
}

/** A watch whose page changed lately: when (by paios's clock) and the diff told then. */
export interface PageChange extends PageWatch {
  changedAt: Date;
  diff: string | null;
}

export interface Snapshot {
  hash: string;
  content: string;
  takenAt: Date;
}

type Row = Record<string, unknown>;

const toWatch = (r: Row): PageWatch => ({
  id: r.id as string,
  userId: r.user_id as string,
  url: r.url as string,
  selector: (r.selector as string | null) ?? null,
  cron: r.cron as string,
  every: r.every_text as string,
  chat: (typeof r.chat === 'string' ? JSON.parse(r.chat) : r.chat) as ChatPlace | null,
  createdAt: new Date(r.created_at as string),
});

/** Agent #7's watched pages and their snapshots, per user. */
@Injectable()
export class WatchRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(
    userId: string,
    w: { url: string; selector?: string; cron: string; every: string; chat?: ChatPlace },
  ): Promise<PageWatch> {
    try {
      const [row] = await this.db.query<Row[]>(
        `INSERT INTO page_watches (user_id, url, selector, cron, every_text, chat) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [userId, w.url, w.selector ?? null, w.cron, w.every, w.chat ? JSON.stringify(w.chat) : null],
      );
      return toWatch(row!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ToolError(`You are already watching ${w.url}.`);
      throw err;
    }
  }

  async active(userId: string): Promise<PageWatch[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM page_watches WHERE user_id = $1 AND stopped_at IS NULL ORDER BY created_at`,
      [userId],
    );
    return rows.map(toWatch);
  }

  async get(id: string): Promise<PageWatch | undefined> {
    const [row] = await this.db.query<Row[]>(`SELECT * FROM page_watches WHERE id = $1 AND stopped_at IS NULL`, [id]);
    return row ? toWatch(row) : undefined;
  }

  async stop(id: string): Promise<void> {
    await this.db.query(`UPDATE page_watches SET stopped_at = NOW() WHERE id = $1`, [id]);
  }

  /** Stamps a change (inside the transaction that stored the new snapshot). */
  async markChanged(em: EntityManager, watchId: string, at: Date, diff: string): Promise<void> {
    await em.query(`UPDATE page_watches SET last_changed_at = $2, last_diff = $3 WHERE id = $1`, [
      watchId,
      at.toISOString(),
      diff,
    ]);
  }

  /** The user's watches whose page changed at or after `since`, latest first. */
  async changedSince(userId: string, since: Date): Promise<PageChange[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM page_watches WHERE user_id = $1 AND stopped_at IS NULL AND last_changed_at >= $2
       ORDER BY last_changed_at DESC`,
      [userId, since.toISOString()],
    );
    return rows.map((r) => ({
      ...toWatch(r),
      changedAt: new Date(r.last_changed_at as string),
      diff: (r.last_diff as string | null) ?? null,
    }));
  }

  async lastSnapshot(watchId: string, em: EntityManager | DataSource = this.db): Promise<Snapshot | undefined> {
    const [row] = await em.query<Row[]>(
      `SELECT hash, content, taken_at FROM page_snapshots WHERE watch_id = $1 ORDER BY taken_at DESC, id LIMIT 1`,
      [watchId],
    );
    return row
      ? { hash: (row.hash as string).trim(), content: row.content as string, takenAt: new Date(row.taken_at as string) }
      : undefined;
  }

  async addSnapshot(em: EntityManager, watchId: string, hash: string, content: string): Promise<void> {
    await em.query(`INSERT INTO page_snapshots (watch_id, hash, content) VALUES ($1, $2, $3)`, [
      watchId,
      hash,
      content,
    ]);
    // Two are enough to tell and show a change; older ones only grow the table.
    await em.query(
      `DELETE FROM page_snapshots WHERE watch_id = $1 AND id NOT IN (
         SELECT id FROM page_snapshots WHERE watch_id = $1 ORDER BY taken_at DESC LIMIT 2)`,
      [watchId],
    );
  }
}
