import { HttpFake, type FakeReply, type RecordedRequest } from './http-fake.js';

export interface FakeLinkedInPost {
  id: string;
  author: string;
  commentary: string;
  createdAt: number;
  likes: number;
}

/**
 * A local stand-in for LinkedIn's REST Posts API (https://learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api):
 * POST /rest/posts (201, the URN in x-restli-id; LinkedIn-Version required), GET /rest/posts?q=author,
 * GET /rest/socialActions/{urn}. Only the token `li-token` is accepted. `loseAnswers` saves the next
 * posts but answers 500.
 */
export class LinkedInFake extends HttpFake {
  readonly posts: FakeLinkedInPost[] = [];
  loseAnswers = 0;

  constructor() {
    super((req) => this.answer(req));
  }

  private answer(req: RecordedRequest): FakeReply {
    if (req.headers.authorization !== 'Bearer li-token')
      return { status: 401, json: { status: 401, serviceErrorCode: 65600, message: 'Invalid access token' } };
    if (!/^\d{6}$/.test(String(req.headers['linkedin-version'] ?? '')))
      return { status: 426, json: { status: 426, message: 'A version must be present' } };
    const url = new URL(req.path, 'http://x');
    if (req.method === 'POST' && url.pathname === '/rest/posts') {
      const b = req.body as { author: string; commentary: string };
      const post = {
        id: `urn:li:share:${7000 + this.posts.length}`,
        author: b.author,
        commentary: b.commentary,
        createdAt: Date.now(),
        likes: 0,
      };
      this.posts.push(post);
      if (this.loseAnswers > 0) {
        this.loseAnswers--;
        return { status: 500, json: { status: 500, message: 'Internal Server Error' } };
      }
      return { status: 201, json: {}, headers: { 'x-restli-id': post.id } };
    }
    if (req.method === 'GET' && url.pathname === '/rest/posts') {
      const author = url.searchParams.get('author');
      return {
        json: { elements: this.posts.filter((p) => p.author === author).reverse(), paging: { start: 0, count: 20 } },
      };
    }
    const m = /^\/rest\/socialActions\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const p = this.posts.find((x) => x.id === decodeURIComponent(m[1]!));
      return p
        ? { json: { likesSummary: { totalLikes: p.likes }, commentsSummary: { aggregatedTotalComments: 3 } } }
        : { status: 404, json: { status: 404, message: 'Not found' } };
    }
    return { status: 404, json: { status: 404, message: `no route ${req.method} ${url.pathname}` } };
  }
}
