import { plainMarkdown, renderMarkdown } from './markdown.js';

/** Text helpers shared by the adapters: markdown to plain words (for speech), and splitting long answers. */

export { splitText } from './markdown.js';

/** Strips the markdown a Reply may carry, for text-to-speech and plain-text fallbacks. */
export function plainText(markdown: string): string {
  return renderMarkdown(markdown, plainMarkdown);
}
