import twitterText from 'twitter-text';

/** The networks #8 posts to; each has its own folder under connectors/. */
export const NETWORKS = ['mastodon', 'bluesky', 'x', 'linkedin'] as const;
export type Network = (typeof NETWORKS)[number];

export const NETWORK_NAMES: Record<Network, string> = {
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  x: 'X',
  linkedin: 'LinkedIn',
};

/** How long one post may be on each network, in that network's own unit. */
export const LIMITS: Record<Network, number> = { mastodon: 500, bluesky: 300, x: 280, linkedin: 3000 };

/** Networks that take a reply chain; the others get one post or a refusal. */
export const THREADS: Record<Network, boolean> = { mastodon: true, bluesky: true, x: true, linkedin: false };

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The length of `text` as `network` counts it: Mastodon counts characters (code points) with every
 * link as 23; Bluesky counts graphemes; X its weighted length (twitter-text: CJK and emoji weigh 2,
 * links 23); LinkedIn characters.
 */
export function lengthOn(network: Network, text: string): number {
  switch (network) {
    case 'mastodon':
      return [...text.replace(/https?:\/\/\S+/g, 'x'.repeat(23))].length;
    case 'bluesky':
      return [...graphemes.segment(text)].length;
    case 'x':
      return twitterText.parseTweet(text).weightedLength;
    case 'linkedin':
      return text.length;
  }
}

export function isNetwork(name: string): name is Network {
  return (NETWORKS as readonly string[]).includes(name);
}

/** "twitter", "bsky", "toot" -> the network they mean. */
export function networkFromWord(word: string): Network | undefined {
  const w = word.toLowerCase();
  if (/^(mastodon|masto|toot|fediverse)/.test(w)) return 'mastodon';
  if (/^(bluesky|bsky|blue sky)/.test(w)) return 'bluesky';
  if (/^(x|twitter|tweet)$/.test(w) || /^(twitter|tweet)/.test(w)) return 'x';
  if (/^linked ?in/.test(w)) return 'linkedin';
  return undefined;
}
