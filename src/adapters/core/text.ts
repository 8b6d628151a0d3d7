/** Text helpers shared by the adapters: splitting long answers. */

/**
 * Splits text into parts of at most `max` characters, at paragraph, then line, then word breaks,
 * never inside a fenced code block boundary if it can help it. Platforms cap a message (Telegram 4096,
 * Discord 2000, a Slack section 3000).
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 2) cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}
