import { lengthOn, LIMITS, type Network } from './networks.js';

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });
const words = new Intl.Segmenter('en', { granularity: 'word' });

/** " 2/3": the numbering each part of a thread ends with. */
const numbering = (i: number, n: number) => ` ${i}/${n}`;

/**
 * Splits `text` into the posts of a thread for `network`: one post when it fits, else parts cut at
 * sentence boundaries (at word boundaries only for a sentence longer than a post), each ending with
 * its number ("1/3"), every part within the network's limit counted the network's way.
 */
export function splitThread(text: string, network: Network): string[] {
  const limit = LIMITS[network];
  const whole = text.trim();
  if (lengthOn(network, whole) <= limit) return [whole];
  // The numbering's width depends on how many parts there are: pack again until it settles.
  let count = 2;
  for (;;) {
    const room = limit - lengthOn(network, numbering(count, count));
    const parts = pack(pieces(whole, network, room), network, room);
    if (String(parts.length).length <= String(count).length)
      return parts.map((p, i) => p + numbering(i + 1, parts.length));
    count = parts.length;
  }
}

/** Sentences (and the words of any sentence too long for one post), each with its trailing space. */
function pieces(text: string, network: Network, room: number): string[] {
  const out: string[] = [];
  for (const { segment } of sentences.segment(text)) {
    if (lengthOn(network, segment.trim()) <= room) {
      out.push(segment);
      continue;
    }
    let current = '';
    for (const { segment: word } of words.segment(segment)) {
      if (current && lengthOn(network, (current + word).trim()) > room) {
        out.push(current);
        current = '';
      }
      current += word;
    }
    if (current) out.push(current);
  }
  return out;
}

function pack(parts: string[], network: Network, room: number): string[] {
  const posts: string[] = [];
  let current = '';
  for (const piece of parts) {
    if (current && lengthOn(network, (current + piece).trim()) > room) {
      posts.push(current.trim());
      current = '';
    }
    current += piece;
  }
  if (current.trim()) posts.push(current.trim());
  return posts;
}
