import { AtpAgent, RichText, XRPCError } from '@atproto/api';
import type { Clock } from '../../../../common/clock.js';
import {
  metricsInBatches,
  RateLimitedError,
  RefusedError,
  retryAtFrom,
  type OutgoingPost,
  type PostMetrics,
  type RemotePost,
  type SocialConnector,
} from '../connector.js';
import { tidFor } from './tid.js';

export interface BlueskyAccount {
  handle: string;
  appPassword: string;
  /** The PDS; https://bsky.social unless the account lives elsewhere. */
  service: string;
}

const COLLECTION = 'app.bsky.feed.post';

/** The HTTP status of an XRPC error (the client types it as its own enum). */
const httpStatus = (err: XRPCError): number => Number(err.status);

type UrlFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** @atproto/api hands fetch a Request; the outbound guard takes a URL and init: unpack it. */
function acceptingRequests(fetch: UrlFetch): typeof globalThis.fetch {
  return async (input, init) => {
    if (!(input instanceof Request)) return fetch(input, init);
    const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.arrayBuffer();
    return fetch(input.url, { method: input.method, headers: input.headers, body, signal: input.signal, ...init });
  };
}

/**
 * Bluesky through @atproto/api: links, mentions and hashtags become RichText facets (mentions
 * resolved to DIDs), images are uploaded blobs with alt text, a thread replies to its root and parent.
 * Each post's record key is derived from its idempotency key, so a retry finds the record the lost
 * try made (getRecord) instead of making another.
 */
export class BlueskyConnector implements SocialConnector {
  readonly network = 'bluesky' as const;
  private agent?: AtpAgent;

  constructor(
    private readonly account: BlueskyAccount,
    fetch: UrlFetch,
    private readonly clock: Clock,
  ) {
    this.fetch = acceptingRequests(fetch);
  }

  private readonly fetch: typeof globalThis.fetch;

  async publish(post: OutgoingPost): Promise<RemotePost> {
    return this.xrpc(async (agent) => {
      const did = agent.session!.did;
      const rkey = tidFor(post.firstTriedAt, post.idempotencyKey);
      const url = `https://bsky.app/profile/${agent.session!.handle}/post/${rkey}`;
      if (post.retry) {
        const found = await agent.com.atproto.repo
          .getRecord({ repo: did, collection: COLLECTION, rkey })
          .catch((err: unknown) => {
            if (err instanceof XRPCError && (httpStatus(err) === 400 || httpStatus(err) === 404)) return undefined;
            throw err;
          });
        if (found?.data.cid) return { id: found.data.uri, cid: found.data.cid, url };
      }
      const rt = new RichText({ text: post.text });
      await rt.detectFacets(agent);
      const images = [];
      for (const image of post.images) {
        const blob = await agent.uploadBlob(image.data, { encoding: image.mimeType });
        images.push({ image: blob.data.blob, alt: image.alt });
      }
      const record = {
        $type: COLLECTION,
        text: rt.text,
        facets: rt.facets,
        createdAt: post.firstTriedAt.toISOString(),
        ...(images.length ? { embed: { $type: 'app.bsky.embed.images', images } } : {}),
        ...(post.replyTo && post.root
          ? {
              reply: {
                root: { uri: post.root.id, cid: post.root.cid! },
                parent: { uri: post.replyTo.id, cid: post.replyTo.cid! },
              },
            }
          : {}),
      };
      const res = await agent.com.atproto.repo.createRecord({ repo: did, collection: COLLECTION, rkey, record });
      return { id: res.data.uri, cid: res.data.cid, url };
    });
  }

  metrics(posts: RemotePost[]): Promise<Map<string, PostMetrics>> {
    return this.xrpc((agent) =>
      metricsInBatches(posts, 25, async (batch) => {
        const res = await agent.getPosts({ uris: batch.map((p) => p.id) });
        return res.data.posts.map((p) => [
          p.uri,
          { likes: p.likeCount ?? 0, reposts: p.repostCount ?? 0, replies: p.replyCount ?? 0 },
        ]);
      }),
    );
  }

  private async xrpc<T>(work: (agent: AtpAgent) => Promise<T>): Promise<T> {
    try {
      if (!this.agent) {
        const agent = new AtpAgent({ service: this.account.service, fetch: this.fetch });
        await agent.login({ identifier: this.account.handle, password: this.account.appPassword });
        this.agent = agent;
      }
      return await work(this.agent);
    } catch (err) {
      if (!(err instanceof XRPCError)) throw err;
      const status = httpStatus(err);
      if (status === 429)
        throw new RateLimitedError(
          'bluesky',
          retryAtFrom({ get: (name) => err.headers?.[name] ?? null }, this.clock.now()),
        );
      if (status >= 400 && status < 500)
        throw new RefusedError('bluesky', `bluesky refused (${status}): ${err.message}`);
      throw new Error(`bluesky answered ${status}: ${err.message}`, { cause: err });
    }
  }
}
