import type { Clock } from '../../../../common/clock.js';
import {
  failureOf,
  metricsInBatches,
  type OutgoingPost,
  type PostMetrics,
  type RemotePost,
  type SocialConnector,
} from '../connector.js';

export interface LinkedInAccount {
  accessToken: string;
  /** urn:li:person:… or urn:li:organization:… */
  author: string;
}

/** The LinkedIn-Version header the Posts API requires (YYYYMM). */
const VERSION = '202511';

/**
 * LinkedIn's REST Posts API (POST /rest/posts; the new post's URN comes back in x-restli-id). It has
 * no idempotency header: a retry after a lost answer first lists the author's posts for the same
 * words. LinkedIn has no threads and takes text only here (no images).
 */
export class LinkedInConnector implements SocialConnector {
  readonly network = 'linkedin' as const;
  private readonly base: string;

  constructor(
    private readonly account: LinkedInAccount,
    apiBase: string | undefined,
    private readonly fetch: typeof globalThis.fetch,
    private readonly clock: Clock,
  ) {
    this.base = (apiBase ?? 'https://api.linkedin.com').replace(/\/+$/, '');
  }

  async publish(post: OutgoingPost): Promise<RemotePost> {
    if (post.retry) {
      const query = new URLSearchParams({
        q: 'author',
        author: this.account.author,
        count: '20',
        sortBy: 'LAST_MODIFIED',
      });
      const res = await this.call(`/rest/posts?${query.toString()}`, { method: 'GET' });
      const { elements } = (await res.json()) as { elements: { id: string; commentary: string; createdAt: number }[] };
      const found = elements.find(
        (e) => e.commentary === post.text && e.createdAt >= post.firstTriedAt.getTime() - 60_000,
      );
      if (found) return { id: found.id, url: this.url(found.id) };
    }
    const res = await this.call('/rest/posts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        author: this.account.author,
        commentary: post.text,
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
      }),
    });
    const id = res.headers.get('x-restli-id') ?? '';
    return { id, url: this.url(id) };
  }

  metrics(posts: RemotePost[]): Promise<Map<string, PostMetrics>> {
    return metricsInBatches(posts, 1, async ([p]) => {
      const res = await this.call(`/rest/socialActions/${encodeURIComponent(p!.id)}`, { method: 'GET' });
      const s = (await res.json()) as {
        likesSummary?: { totalLikes?: number };
        commentsSummary?: { aggregatedTotalComments?: number };
      };
      const likes = s.likesSummary?.totalLikes ?? 0;
      return [[p!.id, { likes, reposts: 0, replies: s.commentsSummary?.aggregatedTotalComments ?? 0 }]];
    });
  }

  private url(id: string): string {
    return `https://www.linkedin.com/feed/update/${id}/`;
  }

  private async call(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.account.accessToken}`);
    headers.set('linkedin-version', VERSION);
    headers.set('x-restli-protocol-version', '2.0.0');
    const res = await this.fetch(`${this.base}${path}`, { ...init, headers });
    if (!res.ok) throw await failureOf('linkedin', res, this.clock.now());
    return res;
  }
}
