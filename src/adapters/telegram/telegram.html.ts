import { Marked, type Tokens } from 'marked';
import { splitText } from '../core/text.js';

/**
 * Reply markdown -> the HTML subset Telegram accepts with parse_mode HTML (b, i, s, code, pre,
 * a href, blockquote). marked parses the markdown; this renderer only decides the output, so odd
 * input (unbalanced stars, raw HTML from an agent) ends up escaped text, never a rejected message.
 */

export const TELEGRAM_MAX_TEXT = 4096;

/** Telegram's HTML mode knows &lt; &gt; &amp; &quot; and numeric entities; nothing else may be raw. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

const SAFE_LINK = /^(https?:|mailto:|tg:)/i;

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    space: () => '',
    code: ({ text, lang }: Tokens.Code) => {
      const language = lang && /^[\w+-]{1,30}$/.test(lang) ? ` class="language-${lang}"` : '';
      return `<pre><code${language}>${escapeHtml(text)}</code></pre>\n\n`;
    },
    blockquote(token: Tokens.Blockquote) {
      return `<blockquote>${this.parser.parse(token.tokens).trim()}</blockquote>\n\n`;
    },
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    heading(token: Tokens.Heading) {
      return `<b>${this.parser.parseInline(token.tokens)}</b>\n\n`;
    },
    hr: () => '──────────\n\n',
    list(token: Tokens.List) {
      const start = typeof token.start === 'number' ? token.start : 1;
      const items = token.items.map((item, i) => {
        const bullet = token.ordered ? `${start + i}.` : '•';
        const check = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
        const body = this.parser.parse(item.tokens, !!item.loose).trim();
        return `${bullet} ${check}${body.replace(/\n/g, '\n   ')}`;
      });
      return `${items.join('\n')}\n\n`;
    },
    paragraph(token: Tokens.Paragraph) {
      return `${this.parser.parseInline(token.tokens)}\n\n`;
    },
    table(token: Tokens.Table) {
      // Telegram has no tables: a monospaced block keeps the columns readable.
      const plain = (cell: Tokens.TableCell) => cell.text;
      const rows = [token.header.map(plain), ...token.rows.map((r) => r.map(plain))];
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
      const lines = rows.map((r) =>
        r
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd(),
      );
      return `<pre>${escapeHtml(lines.join('\n'))}</pre>\n\n`;
    },
    strong(token: Tokens.Strong) {
      return `<b>${this.parser.parseInline(token.tokens)}</b>`;
    },
    em(token: Tokens.Em) {
      return `<i>${this.parser.parseInline(token.tokens)}</i>`;
    },
    codespan: ({ text }: Tokens.Codespan) => `<code>${escapeHtml(text)}</code>`,
    br: () => '\n',
    del(token: Tokens.Del) {
      return `<s>${this.parser.parseInline(token.tokens)}</s>`;
    },
    link(token: Tokens.Link) {
      const label = this.parser.parseInline(token.tokens);
      return SAFE_LINK.test(token.href) ? `<a href="${escapeAttribute(token.href)}">${label}</a>` : label;
    },
    image: ({ href, text }: Tokens.Image) =>
      SAFE_LINK.test(href) ? `<a href="${escapeAttribute(href)}">${escapeHtml(text || href)}</a>` : escapeHtml(text),
    text(token: Tokens.Text | Tokens.Escape) {
      if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
      return escapeHtml(token.text);
    },
  },
});

/** One markdown text as Telegram HTML. */
export function toTelegramHtml(markdown: string): string {
  return marked
    .parse(markdown, { async: false })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A long answer as messages of at most 4096 characters each: split the markdown at paragraph, line,
 * or word breaks, render each part, and split a part again when escaping made it too long.
 */
export function toTelegramMessages(markdown: string, max = TELEGRAM_MAX_TEXT): string[] {
  const out: string[] = [];
  const render = (part: string, limit: number): void => {
    const html = toTelegramHtml(part);
    if (html.length <= max || limit < 64) {
      if (html) out.push(html.length <= max ? html : html.slice(0, max));
      return;
    }
    for (const smaller of splitText(part, Math.floor(limit / 2))) render(smaller, Math.floor(limit / 2));
  };
  for (const part of splitText(markdown, max)) render(part, max);
  return out.length > 0 ? out : [''];
}
