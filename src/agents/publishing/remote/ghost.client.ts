import { createHmac } from 'node:crypto';
import type { Post } from '../post.types.js';
import { RemoteError, requestJson, siteBase, type RemoteClient, type RemotePost } from './remote-client.js';

interface GhostPost {
  id: string;
  url?: string;
  updated_at?: string;
}
interface GhostPosts {
  posts?: GhostPost[];
  errors?: { message?: string; context?: string }[];
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * A short-lived Admin API token: HS256 over the key's secret (hex), the key's id as `kid`,
 * audience `/admin/`, valid five minutes (as Ghost's Admin API asks).
 */
export function ghostToken(adminKey: string, nowMs: number): string {
  const [id, secret] = adminKey.split(':');
  if (!id || !secret || !/^[0-9a-f]+$/i.test(secret))
    throw new RemoteError('ghost', 'the vault entry needs an "adminKey" field as Ghost shows it (id:secret)');
  const iat = Math.floor(nowMs / 1000);
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: id }));
  const claims = b64url(JSON.stringify({ iat, exp: iat + 300, aud: '/admin/' }));
  const signature = createHmac('sha256', Buffer.from(secret, 'hex')).update(`${head}.${claims}`).digest('base64url');
  return `${head}.${claims}.${signature}`;
}

const toRemote = (p: GhostPost): RemotePost => ({ id: p.id, url: p.url ?? null, updatedAt: p.updated_at });

/** Ghost's Admin API (v5): posts as HTML (`?source=html`), tags by name, published at once. */
export class GhostClient implements RemoteClient {
  readonly target = 'ghost';
  private readonly base: string;

  constructor(
    secret: Record<string, unknown>,
    private readonly fetch: (input: string | URL, init?: RequestInit) => Promise<Response>,
    private readonly now: () => number,
  ) {
    this.base = `${siteBase(secret.url, 'ghost')}/ghost/api/admin`;
    if (typeof secret.adminKey !== 'string')
      throw new RemoteError('ghost', 'the vault entry needs an "adminKey" field as Ghost shows it (id:secret)');
    this.adminKey = secret.adminKey;
  }

  private readonly adminKey: string;

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: GhostPosts }> {
    return requestJson<GhostPosts>(
      this.fetch,
      'ghost',
      `${this.base}${path}`,
      {
        method,
        headers: {
          authorization: `Ghost ${ghostToken(this.adminKey, this.now())}`,
          'accept-version': 'v5.0',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      },
      (b) => (b as GhostPosts | undefined)?.errors?.[0]?.message,
    );
  }

  private fields(post: Post, html: string) {
    return {
      title: post.title,
      slug: post.slug,
      html,
      status: 'published',
      tags: post.tags.map((name) => ({ name })),
      custom_excerpt: post.summary ?? null,
      feature_image: post.coverImage ?? null,
    };
  }

  async find(slug: string): Promise<RemotePost | undefined> {
    const res = await this.call('GET', `/posts/slug/${encodeURIComponent(slug)}/`);
    const found = res.status === 404 ? undefined : res.body.posts?.[0];
    return found ? toRemote(found) : undefined;
  }

  async create(post: Post, html: string): Promise<RemotePost> {
    const res = await this.call('POST', '/posts/?source=html', { posts: [this.fields(post, html)] });
    const created = res.body.posts?.[0];
    if (!created) throw new RemoteError('ghost', 'no post in the answer', res.status);
    return toRemote(created);
  }

  async update(existing: RemotePost, post: Post, html: string): Promise<RemotePost> {
    const current = existing.updatedAt ? existing : ((await this.find(post.slug)) ?? existing);
    const res = await this.call('PUT', `/posts/${existing.id}/?source=html`, {
      posts: [{ ...this.fields(post, html), updated_at: current.updatedAt }],
    });
    return toRemote(res.body.posts?.[0] ?? { id: existing.id, url: existing.url ?? undefined });
  }

  async unpublish(existing: RemotePost): Promise<void> {
    const res = await this.call('GET', `/posts/${existing.id}/`);
    const current = res.body.posts?.[0];
    if (!current) return;
    await this.call('PUT', `/posts/${existing.id}/`, { posts: [{ status: 'draft', updated_at: current.updated_at }] });
  }
}
