import { Logger } from '@nestjs/common';
import type { Clock } from '../../common/clock.js';
import type { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';
import type { Composed } from './compose/composer.js';
import { NETWORK_NAMES, type Network } from './compose/networks.js';
import { AccountError, type SocialAccounts } from './connectors/accounts.js';
import {
  RateLimitedError,
  RefusedError,
  type RemotePost,
  type SocialConnector,
  type UploadImage,
} from './connectors/connector.js';
import type { SocialPost, SocialPostRepository } from './social-post.repository.js';

/** How one network went: posted (with the first post's link), refused, or to be tried again. */
export interface NetworkOutcome {
  network: Network;
  state: 'posted' | 'refused' | 'waiting';
  url?: string;
  error?: string;
  retryAt?: Date;
}

export interface PublishOutcome {
  post: SocialPost;
  networks: NetworkOutcome[];
  /** posted, partly_posted, failed, or approved (some network is still to be tried). */
  status: SocialPost['status'];
}

export interface PublisherOptions {
  /** Tries of one post in a row before it is left to the next sweep (a minute later). */
  tries: number;
  retryDelayMs: number;
  /** Largest image read from a URL. */
  maxImageBytes: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends a post to its networks exactly once. Each network's posts (a thread's parts in order) are
 * deliveries whose idempotency key is stored before the first try; a try is counted before it is
 * made, so a try after a 500, a timeout or a crash knows the first may have landed and the connector
 * checks (or lets the network's Idempotency-Key answer) before posting. A 429 waits for the network's
 * reset; a refusal (4xx) is final and told.
 */
export class Publisher {
  private readonly logger = new Logger('SocialPublisher');

  constructor(
    private readonly repo: SocialPostRepository,
    private readonly accounts: SocialAccounts,
    private readonly outbound: OutboundClient,
    private readonly clock: Clock,
    private readonly options: PublisherOptions,
  ) {}

  async publish(post: SocialPost): Promise<PublishOutcome> {
    const deliveries = await this.repo.deliveries(post);
    const images = post.composed.some((c) => c.images.length)
      ? await this.loadImages(post.composed)
      : new Map<string, UploadImage>();
    const networks = await Promise.all(
      post.composed.map((c) =>
        this.network(
          post.userId,
          c,
          deliveries.filter((d) => d.network === c.network),
          images,
        ),
      ),
    );
    const posted = networks.filter((n) => n.state === 'posted').length;
    const waiting = networks.filter((n) => n.state === 'waiting');
    let status: SocialPost['status'];
    if (waiting.length) {
      const retryAt = new Date(Math.max(...waiting.map((w) => (w.retryAt ?? this.clock.now()).getTime())));
      await this.repo.transition(post.id, ['approved', 'scheduled'], 'approved', retryAt);
      status = 'approved';
    } else {
      status = posted === networks.length ? 'posted' : posted > 0 ? 'partly_posted' : 'failed';
      const errors = networks.filter((n) => n.error).map((n) => `${NETWORK_NAMES[n.network]}: ${n.error}`);
      await this.repo.transition(post.id, ['approved', 'scheduled'], status, undefined, errors.join('; ') || undefined);
    }
    return { post, networks, status };
  }

  private async network(
    userId: string,
    composed: Composed,
    deliveries: Awaited<ReturnType<SocialPostRepository['deliveries']>>,
    images: Map<string, UploadImage>,
  ): Promise<NetworkOutcome> {
    const network = composed.network;
    let connector: SocialConnector;
    try {
      connector = await this.accounts.connector(userId, network);
    } catch (err) {
      if (err instanceof AccountError) return this.refuse(deliveries, network, err.message);
      throw err;
    }
    let root: RemotePost | undefined;
    let previous: RemotePost | undefined;
    for (const start of deliveries) {
      if (start.status === 'failed') return { network, state: 'refused', error: start.error ?? 'refused' };
      if (start.status === 'sent') {
        previous = { id: start.remoteId!, cid: start.remoteCid ?? undefined, url: start.url! };
        root ??= previous;
        continue;
      }
      let d = start;
      for (let attempt = 1; ; attempt++) {
        d = await this.repo.trying(d, this.clock.now());
        try {
          const remote = await connector.publish({
            text: composed.parts[d.part]!,
            images: d.part === 0 ? composed.images.map((i) => images.get(i.url)!) : [],
            replyTo: previous,
            root,
            idempotencyKey: d.idempotencyKey,
            firstTriedAt: d.firstTriedAt!,
            retry: d.attempts > 1,
          });
          await this.repo.sent(d.id, remote, this.clock.now());
          previous = remote;
          root ??= remote;
          break;
        } catch (err) {
          if (err instanceof RateLimitedError) return { network, state: 'waiting', retryAt: err.retryAt };
          if (err instanceof RefusedError) {
            await this.repo.failed(d.id, err.message);
            return { network, state: 'refused', error: err.message };
          }
          // A 5xx, a timeout: the post may or may not be there; the next try checks first.
          this.logger.warn(`${network} post ${d.idempotencyKey} try ${d.attempts}: ${(err as Error).message}`);
          if (attempt >= this.options.tries)
            return { network, state: 'waiting', retryAt: new Date(this.clock.now().getTime() + 60_000) };
          await sleep(this.options.retryDelayMs * 2 ** (attempt - 1));
        }
      }
    }
    const first = deliveries[0]!;
    return { network, state: 'posted', url: root?.url ?? first.url ?? undefined };
  }

  private async refuse(
    deliveries: { id: string; status: string }[],
    network: Network,
    error: string,
  ): Promise<NetworkOutcome> {
    for (const d of deliveries) if (d.status === 'pending') await this.repo.failed(d.id, error);
    return { network, state: 'refused', error };
  }

  /** The post's images, read once through the outbound guard (only images, at most maxImageBytes). */
  private async loadImages(composed: Composed[]): Promise<Map<string, UploadImage>> {
    const out = new Map<string, UploadImage>();
    for (const image of composed.flatMap((c) => c.images)) {
      if (out.has(image.url)) continue;
      const res = await this.outbound.fetch(image.url);
      const type = res.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
      if (!res.ok || !type.startsWith('image/'))
        throw new AccountError(`${image.url} is not an image I can read (${res.status} ${type || 'no type'})`);
      const data = new Uint8Array(await res.arrayBuffer());
      if (data.byteLength > this.options.maxImageBytes)
        throw new AccountError(`${image.url} is larger than ${this.options.maxImageBytes} bytes`);
      out.set(image.url, { data, mimeType: type, alt: image.alt });
    }
    return out;
  }
}
