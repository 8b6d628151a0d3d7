import type { TweetV2, TweetV2PostTweetResult, UserV2Result } from 'twitter-api-v2';
import { HttpFake, type FakeReply, type RecordedRequest } from './http-fake.js';

export interface FakeTweet {
  id: string;
  text: string;
  inReplyTo?: string;
  likes: number;
}

/**
 * A local stand-in for the X API v2 as twitter-api-v2 calls it: POST /2/tweets, GET /2/users/me,
 * GET /2/users/:id/tweets, GET /2/tweets?ids=…&tweet.fields=public_metrics. Only the user token
 * `x-token` is accepted. `rateLimit` answers the next post with 429 and x-rate-limit-reset;
 * `loseAnswers` saves the next posts but answers 503.
 */
export class XFake extends HttpFake {
  readonly tweets: FakeTweet[] = [];
  rateLimit = 0;
  loseAnswers = 0;

  constructor() {
    super((req) => this.answer(req));
  }

  private answer(req: RecordedRequest): FakeReply {
    if (req.headers.authorization !== 'Bearer x-token')
      return { status: 401, json: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } };
    const url = new URL(req.path, 'http://x');
    if (req.method === 'POST' && url.pathname === '/2/tweets') {
      if (this.rateLimit > 0) {
        this.rateLimit--;
        return {
          status: 429,
          json: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
          headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '1796000000' },
        };
      }
      const b = req.body as { text: string; reply?: { in_reply_to_tweet_id: string } };
      const tweet: FakeTweet = {
        id: String(9000 + this.tweets.length),
        text: b.text,
        inReplyTo: b.reply?.in_reply_to_tweet_id,
        likes: 0,
      };
      this.tweets.push(tweet);
      if (this.loseAnswers > 0) {
        this.loseAnswers--;
        return {
          status: 503,
          json: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 },
        };
      }
      const out: TweetV2PostTweetResult = { data: { id: tweet.id, text: tweet.text } };
      return { status: 201, json: out };
    }
    if (req.method === 'GET' && url.pathname === '/2/users/me') {
      const me: UserV2Result = { data: { id: '42', name: 'paios', username: 'paios' } };
      return { json: me };
    }
    if (req.method === 'GET' && url.pathname === '/2/users/42/tweets') {
      const data: TweetV2[] = this.tweets.map((t) => ({ id: t.id, text: t.text, edit_history_tweet_ids: [t.id] }));
      return { json: { data: data.reverse(), meta: { result_count: data.length } } };
    }
    if (req.method === 'GET' && url.pathname === '/2/tweets') {
      const ids = (url.searchParams.get('ids') ?? '').split(',');
      const data: TweetV2[] = this.tweets
        .filter((t) => ids.includes(t.id))
        .map((t) => ({
          id: t.id,
          text: t.text,
          edit_history_tweet_ids: [t.id],
          public_metrics: {
            like_count: t.likes,
            retweet_count: 2,
            reply_count: 1,
            quote_count: 0,
            impression_count: 50,
          },
        }));
      return { json: { data } };
    }
    return {
      status: 404,
      json: { title: 'Not Found', detail: `no route ${req.method} ${url.pathname}`, type: 'about:blank', status: 404 },
    };
  }
}
