import type { Network } from '../compose/networks.js';

/** An image ready to upload: its bytes, type and alt text. */
export interface UploadImage {
  data: Uint8Array;
  mimeType: string;
  alt: string;
}

/** One post to send: its text, images (first part of a thread only) and the post it answers. */
export interface OutgoingPost {
  text: string;
  images: UploadImage[];
  /** The remote post this one replies to (the previous part of a thread). */
  replyTo?: RemotePost;
  /** The thread's first post (Bluesky needs the root as well as the parent). */
  root?: RemotePost;
  /**
   * Stays the same for every try of this post: sent as the network's idempotency header where it
   * has one, else used to find the post a lost answer had already made.
   */
  idempotencyKey: string;
  /** When the first try was made: a retry looks for a post made since then. */
  firstTriedAt: Date;
  /** A try has been made before whose outcome is unknown (a 500, a timeout, a crash). */
  retry: boolean;
}

/** A post as the network knows it. */
export interface RemotePost {
  id: string;
  /** Bluesky's record cid; unused elsewhere. */
  cid?: string;
  url: string;
}

export interface PostMetrics {
  likes: number;
  reposts: number;
  replies: number;
}

/** One social network, reached with one person's account. */
export interface SocialConnector {
  readonly network: Network;
  publish(post: OutgoingPost): Promise<RemotePost>;
  /** Likes, reposts and replies of posts made earlier, by remote id (missing ones are left out). */
  metrics(posts: RemotePost[]): Promise<Map<string, PostMetrics>>;
}

/** The network said to wait: nothing was posted; try again at `retryAt`. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(
    readonly network: Network,
    readonly retryAt: Date,
  ) {
    super(`${network} asks to wait until ${retryAt.toISOString()} (rate limit)`);
  }
}

/** The network refused the post for good (bad token, text it does not take): retrying cannot help. */
export class RefusedError extends Error {
  override name = 'RefusedError';
  constructor(
    readonly network: Network,
    message: string,
  ) {
    super(message);
  }
}

/**
 * When a rate-limited answer says to try again: Retry-After (seconds or a date), else the reset of
 * the limit (x-ratelimit-reset / x-rate-limit-reset / ratelimit-reset: epoch seconds or an ISO date),
 * else a minute from now.
 */
export function retryAtFrom(headers: { get(name: string): string | null }, now: Date): Date {
  const after = headers.get('retry-after');
  if (after) {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return new Date(now.getTime() + seconds * 1000);
    const at = Date.parse(after);
    if (!Number.isNaN(at)) return new Date(at);
  }
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('x-rate-limit-reset') ?? headers.get('ratelimit-reset');
  if (reset) {
    const n = Number(reset);
    if (Number.isFinite(n)) return new Date(n > 1e9 ? n * 1000 : now.getTime() + n * 1000);
    const at = Date.parse(reset);
    if (!Number.isNaN(at)) return new Date(at);
  }
  return new Date(now.getTime() + 60_000);
}

/** A response that is an error: 429 -> RateLimitedError, other 4xx -> RefusedError, 5xx -> Error (outcome unknown). */
export async function failureOf(network: Network, res: Response, now: Date): Promise<Error> {
  if (res.status === 429) return new RateLimitedError(network, retryAtFrom(res.headers, now));
  const body = await res.text().catch(() => '');
  let detail = body.slice(0, 200);
  try {
    const json = JSON.parse(body) as { error?: unknown; message?: unknown };
    const said = json.error ?? json.message;
    if (typeof said === 'string') detail = said;
  } catch {
    // not JSON: the start of the body
  }
  if (res.status >= 400 && res.status < 500)
    return new RefusedError(network, `${network} refused (${res.status}): ${detail}`);
  return new Error(`${network} answered ${res.status}: ${detail}`);
}

/** Metrics read `size` posts at a time by `read`, gathered by remote id. */
export async function metricsInBatches(
  posts: RemotePost[],
  size: number,
  read: (batch: RemotePost[]) => Promise<[string, PostMetrics][]>,
): Promise<Map<string, PostMetrics>> {
  const out = new Map<string, PostMetrics>();
  for (let i = 0; i < posts.length; i += size)
    for (const [id, m] of await read(posts.slice(i, i + size))) out.set(id, m);
  return out;
}
