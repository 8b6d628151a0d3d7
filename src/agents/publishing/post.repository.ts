import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../common/errors.js';
import { returnedRows } from '../../database/query-result.js';
import { ToolError } from '../../sdk/tool-error.js';
import { composeDraft } from './front-matter.js';
import type { Post, PostMeta, PostStatus, RemotePublication, RemoteTarget, SiteSettings } from './post.types.js';

type Row = Record<string, unknown>;
type Db = DataSource | EntityManager;

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

const toPost = (r: Row): Post => ({
  id: r.id as string,
  userId: r.user_id as string,
  slug: r.slug as string,
  title: r.title as string,
  summary: (r.summary as string | null) ?? undefined,
  tags: json<string[]>(r.tags),
  coverImage: (r.cover_image as string | null) ?? undefined,
  body: r.body as string,
  status: r.status as PostStatus,
  revision: Number(r.revision),
  publishAt: date(r.publish_at),
  publishedAt: date(r.published_at),
  createdAt: date(r.created_at)!,
  updatedAt: date(r.updated_at)!,
});

/** Agent #29's posts, their revisions, remote copies and site settings, per user. */
@Injectable()
export class PostRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  /** A new draft (revision 1); a taken slug gets -2, -3, … rather than refusing the draft. */
  async create(userId: string, meta: PostMeta, body: string): Promise<Post> {
    for (let n = 1; ; n++) {
      const slug = n === 1 ? meta.slug : `${meta.slug.slice(0, 76)}-${n}`;
      try {
        return await this.db.transaction(async (em) => {
          const [row] = await em.query<Row[]>(
            `INSERT INTO posts (user_id, slug, title, summary, tags, cover_image, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
            [userId, slug, meta.title, meta.summary ?? null, JSON.stringify(meta.tags), meta.coverImage ?? null, body],
          );
          const post = toPost(row!);
          await this.addRevision(em, post);
          return post;
        });
      } catch (err) {
        if (!isUniqueViolation(err) || n >= 50) throw err;
      }
    }
  }

  /** Saves new content as the next revision. */
  async revise(post: Post, meta: PostMeta, body: string): Promise<Post> {
    try {
      return await this.db.transaction(async (em) => {
        const [row] = returnedRows<Row>(
          await em.query(
            `UPDATE posts SET slug = $2, title = $3, summary = $4, tags = $5, cover_image = $6, body = $7,
             revision = revision + 1, updated_at = NOW() WHERE id = $1 RETURNING *`,
            [
              post.id,
              meta.slug,
              meta.title,
              meta.summary ?? null,
              JSON.stringify(meta.tags),
              meta.coverImage ?? null,
              body,
            ],
          ),
        );
        const next = toPost(row!);
        await this.addRevision(em, next);
        return next;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ToolError(`Another post already has the slug "${meta.slug}".`);
      throw err;
    }
  }

  private async addRevision(em: EntityManager, post: Post): Promise<void> {
    await em.query(`INSERT INTO post_revisions (post_id, revision, markdown) VALUES ($1, $2, $3)`, [
      post.id,
      post.revision,
      composeDraft(post, post.body),
    ]);
  }

  async revisions(postId: string): Promise<{ revision: number; markdown: string; createdAt: Date }[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT revision, markdown, created_at FROM post_revisions WHERE post_id = $1 ORDER BY revision`,
      [postId],
    );
    return rows.map((r) => ({
      revision: Number(r.revision),
      markdown: r.markdown as string,
      createdAt: date(r.created_at)!,
    }));
  }

  async list(userId: string, status?: PostStatus, db: Db = this.db): Promise<Post[]> {
    const rows = await db.query<Row[]>(
      `SELECT * FROM posts WHERE user_id = $1 AND ($2::text IS NULL OR status = $2)
       ORDER BY COALESCE(published_at, publish_at, updated_at) DESC, id`,
      [userId, status ?? null],
    );
    return rows.map(toPost);
  }

  async get(id: string, db: Db = this.db): Promise<Post | undefined> {
    const [row] = await db.query<Row[]>(`SELECT * FROM posts WHERE id = $1`, [id]);
    return row ? toPost(row) : undefined;
  }

  /** Locks the post's row for the rest of `em`'s transaction: one state change at a time. */
  async lock(em: EntityManager, id: string): Promise<Post | undefined> {
    const [row] = await em.query<Row[]>(`SELECT * FROM posts WHERE id = $1 FOR UPDATE`, [id]);
    return row ? toPost(row) : undefined;
  }

  async setStatus(
    em: EntityManager,
    id: string,
    status: PostStatus,
    at: { publishAt?: Date | null; publishedAt?: Date | null },
  ): Promise<Post> {
    const [row] = returnedRows<Row>(
      await em.query(
        `UPDATE posts SET status = $2, publish_at = $3, published_at = $4, updated_at = NOW() WHERE id = $1 RETURNING *`,
        [id, status, at.publishAt ?? null, at.publishedAt ?? null],
      ),
    );
    return toPost(row!);
  }

  /** Scheduled posts whose time has come, oldest first (every user: the job runs for all). */
  async due(now: Date): Promise<Post[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM posts WHERE status = 'scheduled' AND publish_at <= $1 ORDER BY publish_at, id`,
      [now],
    );
    return rows.map(toPost);
  }

  async saveSettings(userId: string, settings: SiteSettings): Promise<void> {
    await this.db.query(
      `INSERT INTO publishing_sites (user_id, settings) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET settings = EXCLUDED.settings`,
      [userId, JSON.stringify(settings)],
    );
  }

  async settings(userId: string): Promise<SiteSettings | undefined> {
    const [row] = await this.db.query<Row[]>(`SELECT settings FROM publishing_sites WHERE user_id = $1`, [userId]);
    return row ? json<SiteSettings>(row.settings) : undefined;
  }

  async remote(postId: string, target: RemoteTarget): Promise<RemotePublication | undefined> {
    const [row] = await this.db.query<Row[]>(`SELECT * FROM post_remotes WHERE post_id = $1 AND target = $2`, [
      postId,
      target,
    ]);
    return row
      ? {
          target,
          remoteId: row.remote_id as string,
          remoteUrl: (row.remote_url as string | null) ?? null,
          revision: Number(row.revision),
        }
      : undefined;
  }

  async saveRemote(postId: string, r: RemotePublication): Promise<void> {
    await this.db.query(
      `INSERT INTO post_remotes (post_id, target, remote_id, remote_url, revision) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (post_id, target) DO UPDATE SET remote_id = EXCLUDED.remote_id, remote_url = EXCLUDED.remote_url,
         revision = EXCLUDED.revision, updated_at = NOW()`,
      [postId, r.target, r.remoteId, r.remoteUrl, r.revision],
    );
  }
}
