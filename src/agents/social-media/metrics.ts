import type { Clock } from '../../common/clock.js';
import { NETWORK_NAMES, type Network } from './compose/networks.js';
import { AccountError, type SocialAccounts } from './connectors/accounts.js';
import { RateLimitedError, RefusedError, type PostMetrics } from './connectors/connector.js';
import type { SocialPostRepository } from './social-post.repository.js';

export interface MetricsSummary {
  days: number;
  posts: number;
  networks: ({ network: Network } & PostMetrics & { posts: number })[];
  top?: { text: string; network: Network; url: string } & PostMetrics;
  /** Networks that could not be read now (locked vault, rate limit); their last known counts are used. */
  unread: Network[];
}

/**
 * Fetches likes, reposts and replies of the posts sent in the last `days` from each network, keeps
 * them with the deliveries (so a network that cannot be read now still shows its last counts) and sums
 * them up per network. #1's digest reads this through `social_metrics`.
 */
export async function refreshMetrics(
  repo: SocialPostRepository,
  accounts: SocialAccounts,
  clock: Clock,
  userId: string,
  days: number,
): Promise<MetricsSummary> {
  const since = new Date(clock.now().getTime() - days * 86_400_000);
  const sent = await repo.recentSent(userId, since);
  const unread: Network[] = [];
  for (const network of [...new Set(sent.map((d) => d.network))]) {
    const mine = sent.filter((d) => d.network === network);
    try {
      const connector = await accounts.connector(userId, network);
      const got = await connector.metrics(mine.map((d) => ({ id: d.remoteId!, url: d.url! })));
      for (const d of mine) {
        const m = got.get(d.remoteId!);
        if (!m) continue;
        Object.assign(d, m);
        await repo.saveMetrics(d.id, m, clock.now());
      }
    } catch (err) {
      if (!(err instanceof AccountError || err instanceof RateLimitedError || err instanceof RefusedError)) throw err;
      unread.push(network);
    }
  }
  const networks = [...new Set(sent.map((d) => d.network))].map((network) => {
    const mine = sent.filter((d) => d.network === network);
    return {
      network,
      posts: mine.length,
      likes: mine.reduce((s, d) => s + (d.likes ?? 0), 0),
      reposts: mine.reduce((s, d) => s + (d.reposts ?? 0), 0),
      replies: mine.reduce((s, d) => s + (d.replies ?? 0), 0),
    };
  });
  const score = (d: { likes: number | null; reposts: number | null; replies: number | null }) =>
    (d.likes ?? 0) + 2 * (d.reposts ?? 0) + (d.replies ?? 0);
  const best = [...sent].sort((a, b) => score(b) - score(a))[0];
  return {
    days,
    posts: new Set(sent.map((d) => d.postId)).size,
    networks,
    top:
      best && score(best) > 0
        ? {
            text: best.text,
            network: best.network,
            url: best.url!,
            likes: best.likes ?? 0,
            reposts: best.reposts ?? 0,
            replies: best.replies ?? 0,
          }
        : undefined,
    unread,
  };
}

/** "Social, last 7 days: 3 posts. Mastodon: 12 likes, 3 reposts, 2 replies. …" */
export function describeMetrics(m: MetricsSummary): string {
  if (m.posts === 0) return `No posts in the last ${m.days} day(s).`;
  const per = m.networks.map(
    (n) => `${NETWORK_NAMES[n.network]}: ${n.likes} likes, ${n.reposts} reposts, ${n.replies} replies`,
  );
  const top = m.top
    ? ` Best: "${m.top.text.slice(0, 50)}${m.top.text.length > 50 ? '…' : ''}" on ${NETWORK_NAMES[m.top.network]} (${m.top.likes} likes).`
    : '';
  const stale = m.unread.length ? ` (${m.unread.map((n) => NETWORK_NAMES[n]).join(', ')}: last known counts)` : '';
  return `Social, last ${m.days} day(s): ${m.posts} post(s). ${per.join('. ')}.${top}${stale}`;
}
