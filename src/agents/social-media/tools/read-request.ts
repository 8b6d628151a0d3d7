import { networkFromWord, NETWORKS, type Network } from '../compose/networks.js';
import { timeOfDay, WHEN } from '../when.js';

const NETWORK_WORDS =
  /\b(mastodon|masto|toot|fediverse|bluesky|bsky|skeet|twitter|tweet|linked ?in)\b|\b(?:on|to|and)\s+(x)\b/gi;
const IMAGE =
  /(https?:\/\/\S+?\.(?:png|jpe?g|gif|webp))(?:\s+(?:with\s+)?alt(?:\s+text)?\s*[:=]?\s*["“]([^"”]+)["”])?/gi;
/** The request around the post's words: "post to mastodon and bluesky tomorrow at 9:", "tweet this", ... */
const COMMAND =
  /^(?:please\s+)?(?:(?:can|could)\s+you\s+)?(?:post|toot|tweet|skeet|share|announce|publish|put(?:\s+a\s+post)?)(?:\s+(?:this|that|it|a post|a picture|a photo))?(?:\s+(?:on|to)\s+(?:my\s+)?(?:socials?|social media|all networks|(?:mastodon|bluesky|bsky|twitter|x|linkedin)(?:\s*(?:,|and)\s*(?:mastodon|bluesky|bsky|twitter|x|linkedin))*))?(?:\s+(?:saying|that))?\s*/i;
const ABOUT =
  /\b(?:write|draft|compose|make|create)\b.*?\b(?:post|toot|tweet|thread|skeet|something)\b.*?\b(?:about|on|for|announcing)\s+(.+)$/i;

export interface DraftRequest {
  text?: string;
  about?: string;
  networks?: Network[];
  when?: string;
  images?: { url: string; alt?: string }[];
}

/** The networks a message names ("on mastodon and x"), in the order of NETWORKS. */
export function networksIn(text: string): Network[] | undefined {
  const found = new Set<Network>();
  for (const m of text.matchAll(NETWORK_WORDS)) {
    const n = networkFromWord((m[1] ?? m[2] ?? '').replace(/^skeet$/i, 'bsky'));
    if (n) found.add(n);
  }
  return found.size ? NETWORKS.filter((n) => found.has(n)) : undefined;
}

/** A chat message asking for a post, read into the draft's parts (the words as they were said). */
export function readDraftRequest(message: string): DraftRequest {
  const images = [...message.matchAll(IMAGE)].map((m) => ({ url: m[1]!, alt: m[2] }));
  let rest = message.replace(IMAGE, '').trim();
  const about = ABOUT.exec(rest)?.[1]?.trim();
  const colon = /^([^:]{0,80}?)(?<!https?):\s+([\s\S]+)$/.exec(rest);
  const head = colon ? colon[1]! : rest;
  const networks = networksIn(head);
  const when = WHEN.exec(head)?.[0];
  let text: string;
  if (colon) text = colon[2]!;
  else {
    const quoted = /["“]([^"”]{3,})["”]/.exec(rest);
    if (quoted) text = quoted[1]!;
    else {
      if (when) rest = rest.replace(when, ' ');
      text = rest.replace(COMMAND, '');
    }
  }
  text = text.replace(/\s{2,}/g, ' ').trim();
  if (images.length) text = text.replace(/^(?:with\s+)?(?:the\s+)?caption\s+/i, '');
  return { text: text || undefined, about, networks, when, images: images.length ? images : undefined };
}

/** The first characters of a post's id, as the buttons write it. */
export const postRef = (text: string) => /\b([0-9a-f]{8})(?:-[0-9a-f-]+)?\b/i.exec(text)?.[1]?.toLowerCase();

/** "cancel the 9 o'clock post" -> 9:00. */
export function hourIn(text: string): { hour: number; minute?: number } | undefined {
  const t = timeOfDay(text.replace(/\bo\s+clock\b/i, "o'clock"));
  return t ? { hour: t.hour, minute: t.minute || undefined } : undefined;
}
