import { Logger } from '@nestjs/common';
import type { VaultService } from '../../../vault/vault.service.js';
import { GrantedSecretLocked, grantedSecret } from '../../../vault/granted-secret.js';
import type { PostRepository } from '../post.repository.js';
import { AGENT_NUMBER, type Post, type RemoteTarget } from '../post.types.js';
import { renderMarkdown } from '../site-builder.js';
import { GhostClient } from './ghost.client.js';
import { RemoteError, TARGET_NAMES, type RemoteClient, type RemotePost } from './remote-client.js';
import { WordPressClient } from './wordpress.client.js';

type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** What happened on one platform, as the chat answer tells it. */
export interface RemoteOutcome {
  target: RemoteTarget;
  ok: boolean;
  url?: string | null;
  message: string;
}

const TARGETS: RemoteTarget[] = ['ghost', 'wordpress'];

/**
 * Ghost and WordPress copies of a post, for the people who granted #29 those credentials (vault
 * services `ghost`: url + adminKey, `wordpress`: url + username + applicationPassword). Each copy is
 * made at most once: the remote id is stored, and before creating, the platform is asked for the
 * slug, so a retry after a lost answer (or a crash) updates the post it already has.
 */
export class RemotePublisher {
  private readonly logger = new Logger('RemotePublisher');

  constructor(
    private readonly repo: PostRepository,
    private readonly fetch: Fetch,
    private readonly now: () => number,
    private readonly vault?: VaultService,
  ) {}

  private async clients(userId: string): Promise<(RemoteClient | RemoteOutcome)[]> {
    const out: (RemoteClient | RemoteOutcome)[] = [];
    for (const target of TARGETS) {
      try {
        const secret = await grantedSecret(this.vault, userId, AGENT_NUMBER, target, false);
        if (!secret) continue;
        out.push(
          target === 'ghost' ? new GhostClient(secret, this.fetch, this.now) : new WordPressClient(secret, this.fetch),
        );
      } catch (err) {
        if (err instanceof GrantedSecretLocked || err instanceof RemoteError)
          out.push({ target, ok: false, message: err.message });
        else throw err;
      }
    }
    return out;
  }

  /** Publishes (or updates) the post on every granted platform; a failure on one does not stop the others. */
  async publish(post: Post): Promise<RemoteOutcome[]> {
    const html = renderMarkdown(post.body);
    const outcomes: RemoteOutcome[] = [];
    for (const client of await this.clients(post.userId)) {
      if (!('find' in client)) {
        outcomes.push(client);
        continue;
      }
      const name = TARGET_NAMES[client.target];
      try {
        const known = await this.repo.remote(post.id, client.target);
        if (known?.revision === post.revision) {
          outcomes.push({ target: client.target, ok: true, url: known.remoteUrl, message: `already on ${name}` });
          continue;
        }
        const existing = known
          ? { id: known.remoteId, url: known.remoteUrl }
          : await retry(() => client.find(post.slug));
        const saved = existing
          ? await retry(() => client.update(existing, post, html))
          : await this.createOnce(client, post, html);
        await this.repo.saveRemote(post.id, {
          target: client.target,
          remoteId: saved.id,
          remoteUrl: saved.url,
          revision: post.revision,
        });
        outcomes.push({
          target: client.target,
          ok: true,
          url: saved.url,
          message: `${existing ? 'updated' : 'published'} on ${name}`,
        });
      } catch (err) {
        if (!(err instanceof RemoteError)) throw err;
        this.logger.warn(`post ${post.id}: ${err.message}`);
        outcomes.push({ target: client.target, ok: false, message: err.message });
      }
    }
    return outcomes;
  }

  /**
   * Creates the post; when the answer is lost or their side fails, asks for the slug before trying
   * again, so a post that was created anyway is not created twice.
   */
  private async createOnce(client: RemoteClient, post: Post, html: string): Promise<RemotePost> {
    try {
      return await client.create(post, html);
    } catch (err) {
      if (!(err instanceof RemoteError) || !err.transient) throw err;
      const there = await retry(() => client.find(post.slug));
      return there ?? (await client.create(post, html));
    }
  }

  /** Back to draft on every platform the post went to. */
  async unpublish(post: Post): Promise<RemoteOutcome[]> {
    const outcomes: RemoteOutcome[] = [];
    for (const client of await this.clients(post.userId)) {
      if (!('find' in client)) continue;
      const known = await this.repo.remote(post.id, client.target);
      if (!known) continue;
      try {
        await retry(() => client.unpublish({ id: known.remoteId, url: known.remoteUrl }));
        // A later publish must update the copy again, whatever revision it holds.
        await this.repo.saveRemote(post.id, { ...known, revision: 0 });
        outcomes.push({ target: client.target, ok: true, message: `back to draft on ${TARGET_NAMES[client.target]}` });
      } catch (err) {
        if (!(err instanceof RemoteError)) throw err;
        outcomes.push({ target: client.target, ok: false, message: err.message });
      }
    }
    return outcomes;
  }
}

/** Reads and updates are safe to repeat: one more try when their side or the network failed. */
async function retry<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RemoteError && err.transient) return work();
    throw err;
  }
}
