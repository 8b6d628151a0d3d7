import { Lexer, type Token, type Tokens } from 'marked';

/**
 * The markdown of a Reply, parsed once and rendered per platform. The intermediate form is marked's
 * token tree (GFM); a platform supplies a MarkdownRenderer that only decides the output of each node,
 * so every platform agrees on what the markdown means (what is bold, what is code, where a list ends)
 * and odd input (unbalanced stars, raw HTML from an agent) ends up as escaped text everywhere.
 */

export type MarkdownTree = Token[];

export function parseMarkdown(markdown: string): MarkdownTree {
  return Lexer.lex(markdown, { gfm: true, breaks: false });
}

export interface MarkdownListItem {
  /** The item's content, already rendered (nested lists included), without its bullet. */
  body: string;
  /** A GFM task item: checked or not; undefined for an ordinary item. */
  checked?: boolean;
}

/** What a platform makes of each node; inner content arrives already rendered. */
export interface MarkdownRenderer {
  /** Literal text: escape whatever the platform would read as markup. */
  text(text: string): string;
  /** A character the author escaped (`\*`); by default literal text. */
  escape?(char: string): string;
  strong(inner: string): string;
  em(inner: string): string;
  del(inner: string): string;
  codespan(code: string): string;
  br(): string;
  /**
   * `label` is rendered; `href` is the raw URL (check its scheme before making it a link); `text` is
   * the label as written (equal to `href` for a bare URL).
   */
  link(label: string, href: string, text: string): string;
  image(alt: string, href: string): string;
  /** Raw HTML in the markdown: never markup on a chat platform. */
  html(raw: string): string;
  paragraph(inner: string): string;
  heading(inner: string, depth: number): string;
  code(code: string, lang: string | undefined): string;
  blockquote(inner: string): string;
  list(items: MarkdownListItem[], ordered: boolean, start: number): string;
  hr(): string;
  /** Header row first; cells as plain text. */
  table(rows: string[][]): string;
  /** The whole rendered text, for a final tidy-up (collapsing blank lines, trimming). */
  finish(out: string): string;
}

function inline(tokens: Token[] | undefined, r: MarkdownRenderer): string {
  let out = '';
  for (const token of tokens ?? []) out += inlineToken(token, r);
  return out;
}

function inlineToken(token: Token, r: MarkdownRenderer): string {
  switch (token.type) {
    case 'escape': {
      const char = (token as Tokens.Escape).text;
      return r.escape ? r.escape(char) : r.text(char);
    }
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens, r) : r.text(t.text);
    }
    case 'strong':
      return r.strong(inline((token as Tokens.Strong).tokens, r));
    case 'em':
      return r.em(inline((token as Tokens.Em).tokens, r));
    case 'del':
      return r.del(inline((token as Tokens.Del).tokens, r));
    case 'codespan':
      return r.codespan((token as Tokens.Codespan).text);
    case 'br':
      return r.br();
    case 'link': {
      const link = token as Tokens.Link;
      return r.link(inline(link.tokens, r), link.href, link.text);
    }
    case 'image': {
      const image = token as Tokens.Image;
      return r.image(image.text, image.href);
    }
    case 'html':
    case 'tag':
      return r.html((token as Tokens.HTML | Tokens.Tag).text);
    default:
      return r.text(token.raw);
  }
}

function blocks(tokens: Token[], r: MarkdownRenderer, top: boolean): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'text') {
      // Consecutive block-level text (a tight list item's lines) reads as one paragraph.
      const lines = [inlineToken(token, r)];
      while (tokens[i + 1]?.type === 'text') lines.push(inlineToken(tokens[++i]!, r));
      if (top) out += r.paragraph(lines.join('\n'));
      // In a tight list item, a nested list starts on the line after the item's words.
      else out += lines.join('\n') + (i + 1 < tokens.length ? '\n' : '');
      continue;
    }
    out += block(token, r);
  }
  return out;
}

function block(token: Token, r: MarkdownRenderer): string {
  switch (token.type) {
    case 'space':
    case 'def':
      return '';
    case 'paragraph':
      return r.paragraph(inline((token as Tokens.Paragraph).tokens, r));
    case 'heading': {
      const heading = token as Tokens.Heading;
      return r.heading(inline(heading.tokens, r), heading.depth);
    }
    case 'code': {
      const code = token as Tokens.Code;
      return r.code(code.text, code.lang || undefined);
    }
    case 'blockquote':
      return r.blockquote(blocks((token as Tokens.Blockquote).tokens, r, true));
    case 'list': {
      const list = token as Tokens.List;
      const items = list.items.map((item) => ({
        body: blocks(item.tokens, r, item.loose).trim(),
        checked: item.task ? !!item.checked : undefined,
      }));
      return r.list(items, list.ordered, typeof list.start === 'number' ? list.start : 1);
    }
    case 'hr':
      return r.hr();
    case 'table': {
      const table = token as Tokens.Table;
      const plain = (cell: Tokens.TableCell) => cell.text;
      return r.table([table.header.map(plain), ...table.rows.map((row) => row.map(plain))]);
    }
    case 'html':
      return r.html((token as Tokens.HTML).text);
    default:
      return inlineToken(token, r);
  }
}

/** Renders a parsed tree with a platform's renderer. */
export function renderTree(tree: MarkdownTree, r: MarkdownRenderer): string {
  return r.finish(blocks(tree, r, true));
}

export function renderMarkdown(markdown: string, r: MarkdownRenderer): string {
  return renderTree(parseMarkdown(markdown), r);
}

/**
 * A long answer as messages of at most `max` characters once rendered: split the markdown at
 * paragraph, line or word breaks, render each part, and split a part again when escaping made it
 * too long. Splitting before rendering keeps every message's markup balanced.
 */
export function renderMessages(markdown: string, r: MarkdownRenderer, max: number): string[] {
  const out: string[] = [];
  const render = (part: string, limit: number): void => {
    const text = renderMarkdown(part, r);
    if (text.length <= max || limit < 64) {
      if (text) out.push(text.length <= max ? text : text.slice(0, max));
      return;
    }
    for (const smaller of splitText(part, Math.floor(limit / 2))) render(smaller, Math.floor(limit / 2));
  };
  for (const part of splitText(markdown, max)) render(part, max);
  return out.length > 0 ? out : [''];
}

/** "> " before every line: a quote where the platform writes quotes as markdown does. */
export function quoteLines(inner: string): string {
  const lines = inner.trim().split('\n');
  return `${lines.map((line) => `> ${line}`).join('\n')}\n\n`;
}

/**
 * A list as lines of marker, task box and body; an item's further lines (a nested list) are indented
 * by `indent(marker)` so they stay under it.
 */
export function listLines(
  items: MarkdownListItem[],
  ordered: boolean,
  start: number,
  style: { bullet: string; indent: (marker: string) => string },
): string {
  const lines = items.map((item, i) => {
    const marker = ordered ? `${start + i}.` : style.bullet;
    const check = item.checked === undefined ? '' : item.checked ? '☑ ' : '☐ ';
    return `${marker} ${check}${item.body.replace(/\n/g, `\n${style.indent(marker)}`)}`;
  });
  return `${lines.join('\n')}\n\n`;
}

/** Pads table cells into aligned columns: platforms without tables show them as a monospaced block. */
export function alignColumns(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** What the chat platforms' renderers write alike: paragraphs, a drawn rule, no runs of blank lines. */
export const chatBlocks = {
  paragraph: (inner: string) => `${inner}\n\n`,
  hr: () => '──────────\n\n',
  finish: (out: string) => out.replace(/\n{3,}/g, '\n\n').trim(),
} satisfies Partial<MarkdownRenderer>;

/** Links whose scheme is safe to make clickable; anything else (javascript:, data:) stays words. */
export const SAFE_LINK = /^(https?:|mailto:)/i;

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

/** Words only, for speech and plain-text fallbacks: every mark dropped, code and link labels kept. */
export const plainMarkdown: MarkdownRenderer = {
  text: (text) => text,
  strong: (inner) => inner,
  em: (inner) => inner,
  del: (inner) => inner,
  codespan: (code) => code,
  br: () => '\n',
  link: (label) => label,
  image: (alt) => alt,
  html: (raw) => raw,
  paragraph: (inner) => `${inner}\n\n`,
  heading: (inner) => `${inner}\n\n`,
  code: (code) => `${code}\n\n`,
  blockquote: (inner) => `${inner.trim()}\n\n`,
  list: (items, ordered, start) =>
    `${items.map((item, i) => (ordered ? `${start + i}. ${item.body}` : item.body)).join('\n')}\n\n`,
  hr: () => '',
  table: (rows) => `${rows.map((row) => row.join(', ')).join('\n')}\n\n`,
  finish: (out) => out.replace(/\n{3,}/g, '\n\n').trim(),
};

/** Strips the markdown a Reply may carry, for text-to-speech and plain-text fallbacks. */
export function plainText(markdown: string): string {
  return renderMarkdown(markdown, plainMarkdown);
}
