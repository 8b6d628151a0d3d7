import { Agent as HttpAgent } from 'node:http';
import { ApiResponseError, TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { Clock } from '../../../../common/clock.js';
import {
  metricsInBatches,
  RateLimitedError,
  RefusedError,
  type OutgoingPost,
  type PostMetrics,
  type RemotePost,
  type SocialConnector,
} from '../connector.js';

/** An OAuth 2.0 user access token, or the four OAuth 1.0a keys. */
export type XAccount =
  { accessToken: string } | { appKey: string; appSecret: string; accessToken: string; accessSecret: string };

/** Sends every request of the client to `base` (a stand-in in tests) instead of api.x.com. */
function rebase(base: URL): ITwitterApiClientPlugin {
  return {
    onBeforeRequest({ computedParams }) {
      const url = computedParams.url;
      url.protocol = base.protocol;
      url.host = base.host;
    },
  };
}

/** Links as X shows them (t.co) differ from what was sent: compare the words only. */
const words = (text: string) =>
  text
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * X through twitter-api-v2 (POST /2/tweets). X has no idempotency header: a retry after a lost
 * answer first looks in the account's own tweets since the first try for the same words, and only
 * posts when none is there.
 */
export class XConnector implements SocialConnector {
  readonly network = 'x' as const;
  private readonly client: TwitterApi;
  private me?: string;

  constructor(
    account: XAccount,
    apiBase: string | undefined,
    private readonly clock: Clock,
  ) {
    const base = apiBase ? new URL(apiBase) : undefined;
    const settings = base
      ? { plugins: [rebase(base)], ...(base.protocol === 'http:' ? { httpAgent: new HttpAgent() } : {}) }
      : {};
    this.client =
      'appKey' in account
        ? new TwitterApi(
            {
              appKey: account.appKey,
              appSecret: account.appSecret,
              accessToken: account.accessToken,
              accessSecret: account.accessSecret,
            },
            settings,
          )
        : new TwitterApi(account.accessToken, settings);
  }

  async publish(post: OutgoingPost): Promise<RemotePost> {
    return this.api(async () => {
      if (post.retry) {
        const me = await this.userId();
        const timeline = await this.client.v2.userTimeline(me, {
          start_time: post.firstTriedAt.toISOString(),
          max_results: 20,
        });
        const found = timeline.tweets.find((t) => words(t.text) === words(post.text));
        if (found) return { id: found.id, url: `https://x.com/i/web/status/${found.id}` };
      }
      const mediaIds: string[] = [];
      for (const image of post.images) {
        const id = await this.client.v2.uploadMedia(Buffer.from(image.data), {
          media_type: image.mimeType as 'image/png',
        });
        await this.client.v2.createMediaMetadata(id, { alt_text: { text: image.alt } });
        mediaIds.push(id);
      }
      const res = await this.client.v2.tweet({
        text: post.text,
        ...(post.replyTo ? { reply: { in_reply_to_tweet_id: post.replyTo.id } } : {}),
        ...(mediaIds.length ? { media: { media_ids: mediaIds as [string] } } : {}),
      });
      return { id: res.data.id, url: `https://x.com/i/web/status/${res.data.id}` };
    });
  }

  metrics(posts: RemotePost[]): Promise<Map<string, PostMetrics>> {
    return this.api(() =>
      metricsInBatches(posts, 100, async (batch) => {
        const res = await this.client.v2.tweets(
          batch.map((p) => p.id),
          { 'tweet.fields': ['public_metrics'] },
        );
        return (res.data ?? []).flatMap((t): [string, PostMetrics][] => {
          const m = t.public_metrics;
          return m
            ? [[t.id, { likes: m.like_count, reposts: m.retweet_count + (m.quote_count ?? 0), replies: m.reply_count }]]
            : [];
        });
      }),
    );
  }

  private async userId(): Promise<string> {
    this.me ??= (await this.client.v2.me()).data.id;
    return this.me;
  }

  private async api<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof ApiResponseError)) throw err;
      if (err.code === 429) {
        const reset = err.rateLimit?.reset;
        throw new RateLimitedError(
          'x',
          reset ? new Date(reset * 1000) : new Date(this.clock.now().getTime() + 15 * 60_000),
        );
      }
      const detail = err.data.detail ?? err.data.title ?? err.message;
      if (err.code >= 400 && err.code < 500) throw new RefusedError('x', `x refused (${err.code}): ${detail}`);
      throw new Error(`x answered ${err.code}: ${detail}`, { cause: err });
    }
  }
}
