import { HttpFake, type FakeReply, type RecordedRequest } from './http-fake.js';

export interface FakeStatus {
  id: string;
  status: string;
  inReplyToId: string | null;
  mediaIds: string[];
  idempotencyKey?: string;
  favourites: number;
  reblogs: number;
  replies: number;
}

/**
 * A local stand-in for a Mastodon instance's REST API (https://docs.joinmastodon.org/methods/statuses/):
 * POST /api/v1/statuses honours Idempotency-Key (a repeated key returns the first status), POST
 * /api/v2/media takes an image with its description, GET /api/v1/statuses/:id shows the counts.
 * Only the token `masto-token` is accepted. `loseAnswers` makes the next posts be saved but answered
 * with a 500 (a lost answer); `rateLimit` answers the next post with 429 and Retry-After.
 */
export class MastodonFake extends HttpFake {
  readonly statuses: FakeStatus[] = [];
  readonly media: { id: string; description: string; type: string }[] = [];
  loseAnswers = 0;
  rateLimit = 0;

  constructor() {
    super((req) => this.answer(req));
  }

  private answer(req: RecordedRequest): FakeReply {
    if (req.headers.authorization !== 'Bearer masto-token')
      return { status: 401, json: { error: 'The access token is invalid' } };
    const path = req.path.split('?')[0]!;
    if (req.method === 'POST' && path === '/api/v2/media') {
      const file = req.files.file;
      const fields = req.body as Record<string, string>;
      const id = String(100 + this.media.length);
      this.media.push({ id, description: fields.description ?? '', type: file?.type ?? '' });
      return { json: { id, type: 'image', description: fields.description } };
    }
    if (req.method === 'POST' && path === '/api/v1/statuses') {
      const key = req.headers['idempotency-key'] as string | undefined;
      const again = key ? this.statuses.find((s) => s.idempotencyKey === key) : undefined;
      if (again) return { json: this.view(again) };
      if (this.rateLimit > 0) {
        this.rateLimit--;
        return { status: 429, json: { error: 'Too many requests' }, headers: { 'retry-after': '120' } };
      }
      const body = req.body as { status: string; in_reply_to_id?: string; media_ids?: string[] };
      if (!body.status) return { status: 422, json: { error: "Validation failed: Text can't be blank" } };
      const status: FakeStatus = {
        id: String(1000 + this.statuses.length),
        status: body.status,
        inReplyToId: body.in_reply_to_id ?? null,
        mediaIds: body.media_ids ?? [],
        idempotencyKey: key,
        favourites: 0,
        reblogs: 0,
        replies: 0,
      };
      this.statuses.push(status);
      if (this.loseAnswers > 0) {
        this.loseAnswers--;
        return { status: 500, json: { error: 'Internal server error' } };
      }
      return { json: this.view(status) };
    }
    const m = /^\/api\/v1\/statuses\/(\d+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const s = this.statuses.find((x) => x.id === m[1]);
      return s ? { json: this.view(s) } : { status: 404, json: { error: 'Record not found' } };
    }
    return { status: 404, json: { error: `no route ${req.method} ${path}` } };
  }

  private view(s: FakeStatus) {
    return {
      id: s.id,
      uri: `${this.url}/users/paios/statuses/${s.id}`,
      url: `${this.url.replace('127.0.0.1', 'localhost')}/@paios/${s.id}`,
      content: `<p>${s.status}</p>`,
      in_reply_to_id: s.inReplyToId,
      favourites_count: s.favourites,
      reblogs_count: s.reblogs,
      replies_count: s.replies,
      media_attachments: s.mediaIds.map((id) => ({ id, type: 'image' })),
    };
  }
}
