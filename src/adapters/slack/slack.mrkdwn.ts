import {
  chatBlocks,
  type MarkdownRenderer,
  alignColumns,
  listLines,
  quoteLines,
  renderMarkdown,
  SAFE_LINK,
} from '../../common/markdown.js';

/**
 * Reply markdown -> Slack mrkdwn, which is not Markdown: *bold*, _italic_, ~strike~, <url|label>
 * links, no headings or tables. Slack reads &, < and > as control characters everywhere, code
 * included, so each is sent as its entity.
 */

function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fence(code: string): string {
  return `\`\`\`\n${escapeMrkdwn(code)}\n\`\`\`\n\n`;
}

export const slackMrkdwn: MarkdownRenderer = {
  ...chatBlocks,
  text: escapeMrkdwn,
  strong: (inner) => `*${inner}*`,
  em: (inner) => `_${inner}_`,
  del: (inner) => `~${inner}~`,
  codespan: (code) => `\`${escapeMrkdwn(code)}\``,
  br: () => '\n',
  link: (label, href, text) => {
    if (!SAFE_LINK.test(href)) return label;
    const url = escapeMrkdwn(href);
    return text === href ? `<${url}>` : `<${url}|${label.replace(/\|/g, '/')}>`;
  },
  image: (alt, href) =>
    SAFE_LINK.test(href)
      ? `<${escapeMrkdwn(href)}|${escapeMrkdwn(alt || href).replace(/\|/g, '/')}>`
      : escapeMrkdwn(alt),
  html: escapeMrkdwn,
  heading: (inner) => `*${inner}*\n\n`,
  code: (code) => fence(code),
  blockquote: quoteLines,
  list: (items, ordered, start) => listLines(items, ordered, start, { bullet: '•', indent: () => '    ' }),
  table: (rows) => fence(alignColumns(rows)),
};

export function toMrkdwn(markdown: string): string {
  return renderMarkdown(markdown, slackMrkdwn);
}
