import { Logger } from '@nestjs/common';
import type { Clock } from '../../common/clock.js';
import type { EventOutbox } from '../../orchestrator/events/event-outbox.js';
import type { ToolTransaction } from '../../sdk/agent.contract.js';
import { ToolError } from '../../sdk/tool-error.js';
import type { PostRepository } from './post.repository.js';
import { AGENT_NUMBER, type Post, type SiteSettings } from './post.types.js';
import { publishingConfigSchema, type PublishingConfig } from './publishing.config.js';
import type { RemoteOutcome, RemotePublisher } from './remote/remote-publisher.js';
import { buildSite } from './site-builder.js';
import type { SiteStore } from './site-store.js';

/** Runs work in one transaction whose events commit with it (ctx.transaction, or the outbox's own). */
export type TxRunner = <T>(work: (tx: ToolTransaction) => Promise<T>) => Promise<T>;

export interface PublishOutcome {
  post: Post;
  /** False when it was already out (nothing changed, no event). */
  changed: boolean;
  url: string;
  remotes: RemoteOutcome[];
}

/**
 * Publishing, unpublishing and scheduling of posts: the state change and its event
 * (`post.published`, `post.unpublished`) commit together; then the person's site is rebuilt from
 * every published post and the copies on Ghost or WordPress follow.
 */
export class Publisher {
  private readonly logger = new Logger('Publisher');

  constructor(
    private readonly repo: PostRepository,
    private readonly store: SiteStore,
    private readonly remote: RemotePublisher,
    private readonly clock: Clock,
    private readonly outbox: EventOutbox,
    private readonly siteUrl: string,
  ) {}

  /** The settings a tool call brings (its agent config), kept for builds that run without one. */
  async settings(userId: string, config?: Record<string, unknown>): Promise<SiteSettings> {
    if (config) {
      const c: PublishingConfig = publishingConfigSchema.parse(config);
      const settings = { ...c, url: this.siteUrl };
      await this.repo.saveSettings(userId, settings);
      return settings;
    }
    const saved = await this.repo.settings(userId);
    return { ...publishingConfigSchema.parse({}), ...saved, url: this.siteUrl };
  }

  postUrl(post: Post): string {
    return `${this.siteUrl}${post.slug}/`;
  }

  async rebuild(userId: string): Promise<number> {
    const site = await this.settings(userId);
    const files = buildSite(site, await this.repo.list(userId, 'published'));
    await this.store.write(userId, files);
    return files.size;
  }

  async publish(post: Post, run: TxRunner): Promise<PublishOutcome> {
    const now = this.clock.now();
    const result = await run(async (tx) => {
      const current = await this.repo.lock(tx.manager, post.id);
      if (!current) throw new ToolError('That post no longer exists.');
      if (current.status === 'published') return { post: current, changed: false };
      const published = await this.repo.setStatus(tx.manager, post.id, 'published', { publishedAt: now });
      await tx.emit('post.published', {
        postId: published.id,
        title: published.title,
        slug: published.slug,
        url: this.postUrl(published),
        summary: published.summary ?? null,
        tags: published.tags,
        publishedAt: now.toISOString(),
      });
      return { post: published, changed: true };
    });
    await this.rebuild(post.userId);
    const remotes = await this.remote.publish(result.post);
    return { ...result, url: this.postUrl(result.post), remotes };
  }

  async schedule(post: Post, at: Date, run: TxRunner): Promise<Post> {
    if (at.getTime() <= this.clock.now().getTime()) throw new ToolError('That time has already passed.');
    return run(async (tx) => {
      const current = await this.repo.lock(tx.manager, post.id);
      if (current?.status === 'published') throw new ToolError(`"${post.title}" is already published.`);
      return this.repo.setStatus(tx.manager, post.id, 'scheduled', { publishAt: at });
    });
  }

  async unpublish(post: Post, run: TxRunner): Promise<{ post: Post; changed: boolean; remotes: RemoteOutcome[] }> {
    const result = await run(async (tx) => {
      const current = await this.repo.lock(tx.manager, post.id);
      if (!current) throw new ToolError('That post no longer exists.');
      if (current.status === 'draft') return { post: current, changed: false };
      const wasPublished = current.status === 'published';
      const draft = await this.repo.setStatus(tx.manager, post.id, 'draft', {});
      if (wasPublished) await tx.emit('post.unpublished', { postId: draft.id, slug: draft.slug, title: draft.title });
      return { post: draft, changed: true };
    });
    if (!result.changed) return { ...result, remotes: [] };
    await this.rebuild(post.userId);
    return { ...result, remotes: await this.remote.unpublish(result.post) };
  }

  /**
   * Publishes every scheduled post whose time has come, by the clock: the job runs every minute, so
   * posts due while paios was down go out at the first run after it is back.
   */
  async publishDue(): Promise<number> {
    let count = 0;
    for (const post of await this.repo.due(this.clock.now())) {
      try {
        const origin = { userId: post.userId, agentNumber: AGENT_NUMBER, requestId: `publishing.due:${post.id}` };
        const out = await this.publish(post, (work) => this.outbox.transaction(origin, work));
        if (out.changed) count++;
      } catch (err) {
        // One post that cannot go out must not hold back the others; the next run tries it again.
        this.logger.warn(`scheduled post ${post.id} not published: ${(err as Error).message}`);
      }
    }
    return count;
  }
}
