import {
  chatBlocks,
  alignColumns,
  listLines,
  type MarkdownRenderer,
  renderMarkdown,
  renderMessages,
} from '../../common/markdown.js';

/**
 * Reply markdown -> the HTML subset Telegram accepts with parse_mode HTML (b, i, s, code, pre,
 * a href, blockquote). The markdown is parsed once (core/markdown); this renderer only decides the
 * output, so odd input (unbalanced stars, raw HTML from an agent) ends up escaped text, never a
 * rejected message.
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

export const telegramHtml: MarkdownRenderer = {
  ...chatBlocks,
  text: escapeHtml,
  strong: (inner) => `<b>${inner}</b>`,
  em: (inner) => `<i>${inner}</i>`,
  del: (inner) => `<s>${inner}</s>`,
  codespan: (code) => `<code>${escapeHtml(code)}</code>`,
  br: () => '\n',
  link: (label, href) => (SAFE_LINK.test(href) ? `<a href="${escapeAttribute(href)}">${label}</a>` : label),
  image: (alt, href) =>
    SAFE_LINK.test(href) ? `<a href="${escapeAttribute(href)}">${escapeHtml(alt || href)}</a>` : escapeHtml(alt),
  html: escapeHtml,
  heading: (inner) => `<b>${inner}</b>\n\n`,
  code: (code, lang) => {
    const language = lang && /^[\w+-]{1,30}$/.test(lang) ? ` class="language-${lang}"` : '';
    return `<pre><code${language}>${escapeHtml(code)}</code></pre>\n\n`;
  },
  blockquote: (inner) => `<blockquote>${inner.trim()}</blockquote>\n\n`,
  list: (items, ordered, start) => listLines(items, ordered, start, { bullet: '•', indent: () => '   ' }),
  // Telegram has no tables: a monospaced block keeps the columns readable.
  table: (rows) => `<pre>${escapeHtml(alignColumns(rows))}</pre>\n\n`,
};

/** One markdown text as Telegram HTML. */
export function toTelegramHtml(markdown: string): string {
  return renderMarkdown(markdown, telegramHtml);
}

/** A long answer as messages of at most 4096 characters each. */
export function toTelegramMessages(markdown: string, max = TELEGRAM_MAX_TEXT): string[] {
  return renderMessages(markdown, telegramHtml, max);
}
