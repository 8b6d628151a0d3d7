import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ChatPlace } from '../../sdk/agent.contract.js';
import type { Composed, Draft } from './compose/composer.js';
import type { Network } from './compose/networks.js';

export type PostStatus = 'draft' | 'scheduled' | 'approved' | 'posted' | 'partly_posted' | 'failed' | 'cancelled';

export interface SocialPost {
  id: string;
  userId: string;
  draft: Draft;
  composed: Composed[];
  status: PostStatus;
  scheduledAt: Date | null;
  chat: ChatPlace | null;
  error: string | null;
  createdAt: Date;
  postedAt: Date | null;
}

export interface Delivery {
  id: string;
  postId: string;
  network: Network;
  part: number;
  idempotencyKey: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  firstTriedAt: Date | null;
  remoteId: string | null;
  remoteCid: string | null;
  url: string | null;
  error: string | null;
  likes: number | null;
  reposts: number | null;
  replies: number | null;
}

type Row = Record<string, unknown>;

/** The rows of an UPDATE … RETURNING (TypeORM's postgres driver answers [rows, count] for an UPDATE). */
const returned = (result: unknown): Row[] =>
  Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as Row[]) : (result as Row[]);
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

const toPost = (r: Row): SocialPost => ({
  id: r.id as string,
  userId: r.user_id as string,
  draft: json<Draft>(r.draft),
  composed: json<Composed[]>(r.composed),
  status: r.status as PostStatus,
  scheduledAt: date(r.scheduled_at),
  chat: r.chat ? json<ChatPlace>(r.chat) : null,
  error: (r.error as string | null) ?? null,
  createdAt: new Date(r.created_at as string),
  postedAt: date(r.posted_at),
});

const toDelivery = (r: Row): Delivery => ({
  id: r.id as string,
  postId: r.post_id as string,
  network: r.network as Network,
  part: Number(r.part),
  idempotencyKey: r.idempotency_key as string,
  status: r.status as Delivery['status'],
  attempts: Number(r.attempts),
  firstTriedAt: date(r.first_tried_at),
  remoteId: (r.remote_id as string | null) ?? null,
  remoteCid: (r.remote_cid as string | null) ?? null,
  url: (r.url as string | null) ?? null,
  error: (r.error as string | null) ?? null,
  likes: r.likes === null ? null : Number(r.likes),
  reposts: r.reposts === null ? null : Number(r.reposts),
  replies: r.replies === null ? null : Number(r.replies),
});

/** Agent #8's posts and their deliveries (one per network and thread part), per user. */
@Injectable()
export class SocialPostRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new draft; a second one with the same request key (a retried workflow action) returns the first. */
  async create(
    userId: string,
    draft: Draft,
    composed: Composed[],
    chat?: ChatPlace,
    requestKey?: string,
  ): Promise<{ post: SocialPost; created: boolean }> {
    const [row] = await this.db.query<Row[]>(
      `INSERT INTO social_posts (user_id, draft, composed, chat, request_key) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, request_key) DO NOTHING RETURNING *`,
      [userId, JSON.stringify(draft), JSON.stringify(composed), chat ? JSON.stringify(chat) : null, requestKey ?? null],
    );
    if (row) return { post: toPost(row), created: true };
    const [old] = await this.db.query<Row[]>(`SELECT * FROM social_posts WHERE user_id = $1 AND request_key = $2`, [
      userId,
      requestKey,
    ]);
    return { post: toPost(old!), created: false };
  }

  /** A post of this user by id or its first characters (as buttons show it); else their latest draft. */
  async find(userId: string, ref: string | undefined, statuses: PostStatus[]): Promise<SocialPost | undefined> {
    const [row] = ref
      ? await this.db.query<Row[]>(
          `SELECT * FROM social_posts WHERE user_id = $1 AND id::text LIKE $2 AND status = ANY($3) ORDER BY created_at DESC LIMIT 1`,
          [userId, `${ref.toLowerCase()}%`, statuses],
        )
      : await this.db.query<Row[]>(
          `SELECT * FROM social_posts WHERE user_id = $1 AND status = ANY($2) ORDER BY created_at DESC LIMIT 1`,
          [userId, statuses],
        );
    return row ? toPost(row) : undefined;
  }

  async get(id: string): Promise<SocialPost | undefined> {
    const [row] = await this.db.query<Row[]>(`SELECT * FROM social_posts WHERE id = $1`, [id]);
    return row ? toPost(row) : undefined;
  }

  async list(userId: string, statuses: PostStatus[]): Promise<SocialPost[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM social_posts WHERE user_id = $1 AND status = ANY($2) ORDER BY scheduled_at NULLS LAST, created_at`,
      [userId, statuses],
    );
    return rows.map(toPost);
  }

  /** Moves a post on only from one of `from`; false when it had moved already (a second press of a button). */
  async transition(
    id: string,
    from: PostStatus[],
    to: PostStatus,
    scheduledAt?: Date | null,
    error?: string,
  ): Promise<boolean> {
    const rows = returned(
      await this.db.query(
        `UPDATE social_posts SET status = $3::varchar,
         scheduled_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE scheduled_at END,
         error = $6::text, posted_at = CASE WHEN $3::varchar IN ('posted', 'partly_posted') THEN NOW() ELSE posted_at END,
         claimed_until = NULL
       WHERE id = $1 AND status = ANY($2) RETURNING id`,
        [id, from, to, scheduledAt !== undefined, scheduledAt ?? null, error ?? null],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Takes an approved or scheduled post to publish for `leaseMs` (another worker or sweep leaves it
   * alone meanwhile); false when someone else holds it.
   */
  async claim(id: string, now: Date, leaseMs: number): Promise<boolean> {
    const rows = returned(
      await this.db.query(
        `UPDATE social_posts SET claimed_until = $3 WHERE id = $1 AND status IN ('approved', 'scheduled')
         AND (claimed_until IS NULL OR claimed_until < $2) RETURNING id`,
        [id, now, new Date(now.getTime() + leaseMs)],
      ),
    );
    return rows.length > 0;
  }

  /** Approves a draft to send now, held for `leaseMs` by the caller (no sweep takes it meanwhile). */
  async approveNow(id: string, now: Date, leaseMs: number): Promise<boolean> {
    const rows = returned(
      await this.db.query(
        `UPDATE social_posts SET status = 'approved', scheduled_at = $2, claimed_until = $3
         WHERE id = $1 AND status = 'draft' RETURNING id`,
        [id, now, new Date(now.getTime() + leaseMs)],
      ),
    );
    return rows.length > 0;
  }

  /** Posts due by `now` (scheduled or approved and not finished), oldest first. */
  async due(now: Date, limit = 50): Promise<SocialPost[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM social_posts WHERE status IN ('scheduled', 'approved') AND COALESCE(scheduled_at, created_at) <= $1
         AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY COALESCE(scheduled_at, created_at) LIMIT $2`,
      [now, limit],
    );
    return rows.map(toPost);
  }

  /** The post's deliveries, made once (a key per network and part) and read back on every try. */
  async deliveries(post: SocialPost): Promise<Delivery[]> {
    for (const c of post.composed)
      for (let part = 0; part < c.parts.length; part++)
        await this.db.query(
          `INSERT INTO social_deliveries (post_id, network, part, idempotency_key) VALUES ($1, $2, $3, $4)
             ON CONFLICT (post_id, network, part) DO NOTHING`,
          [post.id, c.network, part, `paios-${post.id}-${c.network}-${part}`],
        );
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM social_deliveries WHERE post_id = $1 ORDER BY network, part`,
      [post.id],
    );
    return rows.map(toDelivery);
  }

  /** Records a try before it is made: a try already counted is a retry whose outcome is unknown. */
  async trying(d: Delivery, now: Date): Promise<Delivery> {
    const [row] = returned(
      await this.db.query(
        `UPDATE social_deliveries SET attempts = attempts + 1, first_tried_at = COALESCE(first_tried_at, $2)
         WHERE id = $1 RETURNING *`,
        [d.id, now],
      ),
    );
    return toDelivery(row!);
  }

  async sent(id: string, remote: { id: string; cid?: string; url: string }, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE social_deliveries SET status = 'sent', remote_id = $2, remote_cid = $3, url = $4, sent_at = $5, error = NULL WHERE id = $1`,
      [id, remote.id, remote.cid ?? null, remote.url, now],
    );
  }

  async failed(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE social_deliveries SET status = 'failed', error = $2 WHERE id = $1`, [id, error]);
  }

  /** Sent deliveries of this user's posts since `since`, for metrics. */
  async recentSent(userId: string, since: Date): Promise<(Delivery & { text: string })[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT d.*, p.draft FROM social_deliveries d JOIN social_posts p ON p.id = d.post_id
         WHERE p.user_id = $1 AND d.status = 'sent' AND d.part = 0 AND d.sent_at >= $2 ORDER BY d.sent_at DESC LIMIT 100`,
      [userId, since],
    );
    return rows.map((r) => ({ ...toDelivery(r), text: json<Draft>(r.draft).text }));
  }

  async saveMetrics(id: string, m: { likes: number; reposts: number; replies: number }, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE social_deliveries SET likes = $2, reposts = $3, replies = $4, metrics_at = $5 WHERE id = $1`,
      [id, m.likes, m.reposts, m.replies, now],
    );
  }
}
