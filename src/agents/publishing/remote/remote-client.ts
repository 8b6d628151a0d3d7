import type { Post, RemoteTarget } from '../post.types.js';

/** A post as another platform holds it. */
export interface RemotePost {
  id: string;
  url: string | null;
  /** Ghost's collision check: an update must send the `updated_at` it last saw. */
  updatedAt?: string;
}

/** What a publishing platform (Ghost, WordPress) offers paios: one interface, one file per platform. */
export interface RemoteClient {
  readonly target: RemoteTarget;
  /** The post of that slug already there, if any: the slug is the idempotency key on their side. */
  find(slug: string): Promise<RemotePost | undefined>;
  create(post: Post, html: string): Promise<RemotePost>;
  update(existing: RemotePost, post: Post, html: string): Promise<RemotePost>;
  /** Back to draft there (not deleted). */
  unpublish(existing: RemotePost): Promise<void>;
}

export const TARGET_NAMES: Record<RemoteTarget, string> = { ghost: 'Ghost', wordpress: 'WordPress' };

/** The platform answered with an error (status) or could not be reached (no status). */
export class RemoteError extends Error {
  override name = 'RemoteError';
  constructor(
    readonly target: RemoteTarget,
    message: string,
    readonly status?: number,
  ) {
    super(`${TARGET_NAMES[target]} ${status ? `refused (${status})` : 'could not be reached'}: ${message}`);
  }

  /** Worth trying again: their side failed or the network did, not our request. */
  get transient(): boolean {
    return this.status === undefined || this.status >= 500 || this.status === 429;
  }
}

type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** One JSON request; an error answer becomes a RemoteError with the platform's own message. */
export async function requestJson<T>(
  fetch: Fetch,
  target: RemoteTarget,
  url: string,
  init: RequestInit,
  describe: (body: unknown) => string | undefined,
): Promise<{ status: number; body: T }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (err) {
    throw new RemoteError(target, (err as Error).message);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok && res.status !== 404) throw new RemoteError(target, describe(body) ?? res.statusText, res.status);
  return { status: res.status, body: body as T };
}

/** Trims a site address given in the vault ("https://blog.example.com/" -> "https://blog.example.com"). */
export function siteBase(url: unknown, target: RemoteTarget): string {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url.trim()))
    throw new RemoteError(target, 'the vault entry needs a "url" field with the site address (https://…)');
  return url.trim().replace(/\/+$/, '');
}
