import type { Clock } from '../../../../common/clock.js';
import {
  failureOf,
  metricsInBatches,
  RefusedError,
  type OutgoingPost,
  type PostMetrics,
  type RemotePost,
  type SocialConnector,
  type UploadImage,
} from '../connector.js';

export interface MastodonAccount {
  /** The instance, e.g. https://mastodon.social */
  url: string;
  token: string;
}

type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

interface Status {
  id: string;
  url: string | null;
  uri: string;
  favourites_count: number;
  reblogs_count: number;
  replies_count: number;
}

/**
 * Mastodon's REST API (POST /api/v1/statuses, /api/v2/media): the Idempotency-Key header makes a
 * retried post return the status the first try made instead of a second one.
 */
export class MastodonConnector implements SocialConnector {
  readonly network = 'mastodon' as const;
  private readonly base: string;

  constructor(
    private readonly account: MastodonAccount,
    private readonly fetch: Fetch,
    private readonly clock: Clock,
  ) {
    this.base = account.url.replace(/\/+$/, '');
  }

  async publish(post: OutgoingPost): Promise<RemotePost> {
    const mediaIds: string[] = [];
    for (const image of post.images) mediaIds.push(await this.upload(image));
    const res = await this.call('/api/v1/statuses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': post.idempotencyKey },
      body: JSON.stringify({
        status: post.text,
        media_ids: mediaIds.length ? mediaIds : undefined,
        in_reply_to_id: post.replyTo?.id,
        visibility: 'public',
      }),
    });
    const status = (await res.json()) as Status;
    return { id: status.id, url: status.url ?? status.uri };
  }

  metrics(posts: RemotePost[]): Promise<Map<string, PostMetrics>> {
    return metricsInBatches(posts, 1, async ([p]) => {
      const res = await this.call(`/api/v1/statuses/${encodeURIComponent(p!.id)}`, { method: 'GET' }).catch(
        (err: unknown) => {
          if (err instanceof RefusedError) return undefined; // deleted since
          throw err;
        },
      );
      if (!res) return [];
      const s = (await res.json()) as Status;
      return [[p!.id, { likes: s.favourites_count, reposts: s.reblogs_count, replies: s.replies_count }]];
    });
  }

  private async upload(image: UploadImage): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([image.data], { type: image.mimeType }), 'image');
    form.append('description', image.alt);
    const res = await this.call('/api/v2/media', { method: 'POST', body: form });
    return ((await res.json()) as { id: string }).id;
  }

  private async call(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.account.token}`);
    const res = await this.fetch(`${this.base}${path}`, { ...init, headers });
    if (!res.ok) throw await failureOf('mastodon', res, this.clock.now());
    return res;
  }
}
