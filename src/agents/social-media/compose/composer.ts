import { splitThread } from './thread.js';
import { lengthOn, LIMITS, NETWORK_NAMES, THREADS, type Network } from './networks.js';

/** An image to attach: where to read it and what it shows (alt text, required). */
export interface DraftImage {
  url: string;
  alt?: string;
}

export interface Draft {
  text: string;
  link?: string;
  hashtags?: string[];
  images?: DraftImage[];
  /** When it goes out once approved (ISO instant); now when absent. */
  scheduleAt?: string;
}

/** What goes out on one network: one post, or the parts of a thread (images on the first). */
export interface Composed {
  network: Network;
  parts: string[];
  images: { url: string; alt: string }[];
}

export class ComposeError extends Error {
  override name = 'ComposeError';
}

/** Most images one post takes, and the longest alt text, per network. */
const MAX_IMAGES: Record<Network, number> = { mastodon: 4, bluesky: 4, x: 4, linkedin: 1 };
const MAX_ALT: Record<Network, number> = { mastodon: 1500, bluesky: 2000, x: 1000, linkedin: 4086 };

/** The words of a draft with its link and hashtags, as they are posted. */
export function fullText(draft: Draft): string {
  const tags = (draft.hashtags ?? [])
    .map((t) => t.trim().replace(/^#*/, ''))
    .filter(Boolean)
    .map((t) => `#${t.replace(/\s+/g, '')}`)
    .filter((t) => !new RegExp(`(^|\\s)${t}(\\s|$)`, 'i').test(draft.text));
  let text = draft.text.trim();
  if (draft.link && !text.includes(draft.link)) text += `\n\n${draft.link}`;
  if (tags.length) text += `\n\n${tags.join(' ')}`;
  return text;
}

/**
 * A draft as each network takes it: its length rule (split into a numbered thread where the network
 * has threads), images with their alt text. A draft a network cannot take is refused with the reason.
 */
export function compose(draft: Draft, networks: Network[]): Composed[] {
  const text = fullText(draft);
  if (!text) throw new ComposeError('There is nothing to post: the text is empty.');
  const images = draft.images ?? [];
  images.forEach((image, i) => {
    if (!image.alt?.trim())
      throw new ComposeError(
        `Image ${i + 1} (${image.url}) has no alt text: every image needs a description for people who cannot see it. Add one, e.g. "alt: a chart of our new prices".`,
      );
  });
  return networks.map((network) => {
    const name = NETWORK_NAMES[network];
    if (images.length > MAX_IMAGES[network])
      throw new ComposeError(
        `${name} takes at most ${MAX_IMAGES[network]} image(s) per post; this has ${images.length}.`,
      );
    for (const image of images)
      if (lengthOn(network, image.alt!.trim()) > MAX_ALT[network])
        throw new ComposeError(`An alt text is longer than ${name} allows (${MAX_ALT[network]}).`);
    const length = lengthOn(network, text);
    if (!THREADS[network] && length > LIMITS[network])
      throw new ComposeError(
        `${name} takes at most ${LIMITS[network]} characters and has no threads; this is ${length}. Shorten it or leave ${name} out.`,
      );
    return {
      network,
      parts: splitThread(text, network),
      images: images.map((i) => ({ url: i.url, alt: i.alt!.trim() })),
    };
  });
}

/** The preview of one network's post(s) as chat shows it. */
export function preview(c: Composed): string {
  const head = `**${NETWORK_NAMES[c.network]}**${c.parts.length > 1 ? ` (thread of ${c.parts.length})` : ''}`;
  const body = c.parts
    .map((p) =>
      p
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n'),
    )
    .join('\n>\n');
  const imgs = c.images.map((i, n) => `🖼 image ${n + 1}: ${i.alt}`).join('\n');
  return [head, body, imgs].filter(Boolean).join('\n');
}
