import type { Post } from '../post.types.js';
import { RemoteError, requestJson, siteBase, type RemoteClient, type RemotePost } from './remote-client.js';

interface WpPost {
  id: number;
  link?: string;
}

const toRemote = (p: WpPost): RemotePost => ({ id: String(p.id), url: p.link ?? null });

/** The WordPress REST API (wp/v2) with an application password (Basic auth), posts as HTML. */
export class WordPressClient implements RemoteClient {
  readonly target = 'wordpress';
  private readonly base: string;
  private readonly auth: string;

  constructor(
    secret: Record<string, unknown>,
    private readonly fetch: (input: string | URL, init?: RequestInit) => Promise<Response>,
  ) {
    this.base = `${siteBase(secret.url, 'wordpress')}/wp-json/wp/v2`;
    const { username, applicationPassword } = secret;
    if (typeof username !== 'string' || typeof applicationPassword !== 'string')
      throw new RemoteError('wordpress', 'the vault entry needs "username" and "applicationPassword" fields');
    this.auth = `Basic ${Buffer.from(`${username}:${applicationPassword}`).toString('base64')}`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    return requestJson<T>(
      this.fetch,
      'wordpress',
      `${this.base}${path}`,
      {
        method,
        headers: { authorization: this.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      },
      (b) => (b as { message?: string } | undefined)?.message,
    );
  }

  private fields(post: Post, html: string) {
    return { title: post.title, slug: post.slug, content: html, excerpt: post.summary ?? '', status: 'publish' };
  }

  async find(slug: string): Promise<RemotePost | undefined> {
    const res = await this.call<WpPost[]>(
      'GET',
      `/posts?slug=${encodeURIComponent(slug)}&status=publish,draft,future,pending,private&context=edit`,
    );
    const found = Array.isArray(res.body) ? res.body[0] : undefined;
    return found ? toRemote(found) : undefined;
  }

  async create(post: Post, html: string): Promise<RemotePost> {
    const res = await this.call<WpPost>('POST', '/posts', this.fields(post, html));
    if (!res.body?.id) throw new RemoteError('wordpress', 'no post in the answer', res.status);
    return toRemote(res.body);
  }

  async update(existing: RemotePost, post: Post, html: string): Promise<RemotePost> {
    const res = await this.call<WpPost>('POST', `/posts/${existing.id}`, this.fields(post, html));
    return res.body?.id ? toRemote(res.body) : existing;
  }

  async unpublish(existing: RemotePost): Promise<void> {
    await this.call('POST', `/posts/${existing.id}`, { status: 'draft' });
  }
}
