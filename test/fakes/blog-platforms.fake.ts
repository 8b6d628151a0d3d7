import { createHmac } from 'node:crypto';
import { HttpFake, type FakeReply, type RecordedRequest } from './http-fake.js';

/** A post as a fake platform keeps it. */
export interface StoredPost {
  id: string;
  slug: string;
  title: string;
  html: string;
  status: string;
  tags: string[];
  updatedAt: string;
}

/** What both fakes share: their posts, and "fail the next create after storing it" (a lost answer). */
export interface BlogFake {
  http: HttpFake;
  posts: Map<string, StoredPost>;
  /** The next create stores the post, then answers 500: the client cannot know it went through. */
  loseNextCreateAnswer(): void;
  creates(): number;
}

function blogFake(handle: (req: RecordedRequest, state: BlogState) => FakeReply): BlogFake {
  const state: BlogState = { posts: new Map(), loseAnswer: false, creates: 0, n: 0 };
  return {
    http: new HttpFake((req) => handle(req, state)),
    posts: state.posts,
    loseNextCreateAnswer: () => {
      state.loseAnswer = true;
    },
    creates: () => state.creates,
  };
}

interface BlogState {
  posts: Map<string, StoredPost>;
  loseAnswer: boolean;
  creates: number;
  n: number;
}

function store(state: BlogState, fields: Omit<StoredPost, 'id' | 'updatedAt'>): { post: StoredPost; lost: boolean } {
  state.creates++;
  const post = {
    ...fields,
    id: String(++state.n),
    updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, state.n)).toISOString(),
  };
  state.posts.set(post.id, post);
  const lost = state.loseAnswer;
  state.loseAnswer = false;
  return { post, lost };
}

/** The admin key the Ghost fake accepts: `<id>:<hex secret>`. */
export const GHOST_ADMIN_KEY =
  '6489a1b2c3d4e5f60718293a:3c2f1e0d9c8b7a69584736251403f2e1d0c9b8a79685746352413021f0e1d2c3';

/** Checks a Ghost Admin API token as Ghost does: HS256 with the key's secret, kid and audience. */
function ghostTokenValid(header: string | undefined): boolean {
  const token = /^Ghost (.+)$/.exec(header ?? '')?.[1];
  if (!token) return false;
  const [head, claims, signature] = token.split('.');
  const [id, secret] = GHOST_ADMIN_KEY.split(':');
  const expected = createHmac('sha256', Buffer.from(secret!, 'hex')).update(`${head}.${claims}`).digest('base64url');
  const h = JSON.parse(Buffer.from(head!, 'base64url').toString()) as { kid?: string; alg?: string };
  const c = JSON.parse(Buffer.from(claims!, 'base64url').toString()) as { aud?: string; exp?: number; iat?: number };
  return signature === expected && h.kid === id && h.alg === 'HS256' && c.aud === '/admin/' && c.exp! - c.iat! <= 300;
}

/**
 * Ghost's Admin API as paios uses it (https://ghost.org/docs/admin-api/): posts by slug, create with
 * `?source=html`, update with the `updated_at` last seen (409 otherwise).
 */
export function ghostFake(): BlogFake {
  const ghostPost = (p: StoredPost) => ({
    id: p.id,
    slug: p.slug,
    title: p.title,
    status: p.status,
    url: `https://blog.example.com/${p.slug}/`,
    updated_at: p.updatedAt,
  });
  return blogFake((req, state): FakeReply => {
    if (!ghostTokenValid(req.headers.authorization))
      return { status: 401, json: { errors: [{ message: 'Invalid token' }] } };
    const path = req.path.split('?')[0]!;
    const find = /^\/ghost\/api\/admin\/posts\/slug\/([^/]+)\/$/.exec(path);
    if (req.method === 'GET' && find) {
      const p = [...state.posts.values()].find((x) => x.slug === decodeURIComponent(find[1]!));
      return p
        ? { json: { posts: [ghostPost(p)] } }
        : { status: 404, json: { errors: [{ message: 'Post not found.' }] } };
    }
    const body = req.body as {
      posts?: {
        title: string;
        slug: string;
        html: string;
        status: string;
        tags?: { name: string }[];
        updated_at?: string;
      }[];
    };
    if (req.method === 'POST' && path === '/ghost/api/admin/posts/') {
      const f = body.posts![0]!;
      const { post, lost } = store(state, {
        slug: f.slug,
        title: f.title,
        html: f.html,
        status: f.status,
        tags: (f.tags ?? []).map((t) => t.name),
      });
      return lost
        ? { status: 500, json: { errors: [{ message: 'Internal server error' }] } }
        : { status: 201, json: { posts: [ghostPost(post)] } };
    }
    const one = /^\/ghost\/api\/admin\/posts\/([^/]+)\/$/.exec(path);
    const existing = one ? state.posts.get(one[1]!) : undefined;
    if (one && !existing) return { status: 404, json: { errors: [{ message: 'Post not found.' }] } };
    if (req.method === 'GET' && existing) return { json: { posts: [ghostPost(existing)] } };
    if (req.method === 'PUT' && existing) {
      const f = body.posts![0]!;
      if (f.updated_at !== existing.updatedAt)
        return { status: 409, json: { errors: [{ message: 'Saving failed! Someone else is editing this post.' }] } };
      Object.assign(existing, {
        ...('title' in f ? { title: f.title, html: f.html, slug: f.slug } : {}),
        status: f.status,
        updatedAt: new Date(Date.parse(existing.updatedAt) + 1000).toISOString(),
      });
      return { json: { posts: [ghostPost(existing)] } };
    }
    return { status: 404, json: { errors: [{ message: `no route ${req.method} ${path}` }] } };
  });
}

/** The WordPress REST API (wp/v2 posts) with Basic auth by application password `abcd efgh ijkl mnop`. */
export function wordpressFake(): BlogFake {
  const wpPost = (p: StoredPost) => ({
    id: Number(p.id),
    slug: p.slug,
    status: p.status,
    link: `https://wp.example.com/${p.slug}/`,
    title: { raw: p.title },
  });
  const auth = `Basic ${Buffer.from('ada:abcd efgh ijkl mnop').toString('base64')}`;
  return blogFake((req, state): FakeReply => {
    if (req.headers.authorization !== auth)
      return {
        status: 401,
        json: { code: 'incorrect_password', message: 'The provided password is an invalid application password.' },
      };
    const url = new URL(req.path, 'http://wp.test');
    const body = req.body as { title: string; slug: string; content: string; status: string };
    if (url.pathname === '/wp-json/wp/v2/posts' && req.method === 'GET') {
      const slug = url.searchParams.get('slug');
      return { json: [...state.posts.values()].filter((p) => p.slug === slug).map(wpPost) };
    }
    if (url.pathname === '/wp-json/wp/v2/posts' && req.method === 'POST') {
      const { post, lost } = store(state, {
        slug: body.slug,
        title: body.title,
        html: body.content,
        status: body.status,
        tags: [],
      });
      return lost
        ? { status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' }
        : { status: 201, json: wpPost(post) };
    }
    const one = /^\/wp-json\/wp\/v2\/posts\/(\d+)$/.exec(url.pathname);
    const existing = one ? state.posts.get(one[1]!) : undefined;
    if (existing && req.method === 'POST') {
      Object.assign(existing, {
        ...(body.title ? { title: body.title, html: body.content } : {}),
        status: body.status,
      });
      return { json: wpPost(existing) };
    }
    return {
      status: 404,
      json: { code: 'rest_no_route', message: 'No route was found matching the URL and request method.' },
    };
  });
}
