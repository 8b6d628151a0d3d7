import {
  chatBlocks,
  alignColumns,
  listLines,
  quoteLines,
  type MarkdownRenderer,
  renderMarkdown,
  renderMessages,
  SAFE_LINK,
} from '../../common/markdown.js';

/**
 * Reply markdown -> Discord's markdown subset: **bold**, *italic*, ~~strike~~, `code`, fenced blocks,
 * headings # to ###, "- " and "1. " lists, "> " quotes, [masked](links). What Discord lacks (tables,
 * images, rules, deeper headings) is drawn with what it has, and literal text is escaped where
 * Discord would read it as markup (a lone star, an underscore, "||" spoilers, a "# " line start).
 * Mentions (<@id>, <#channel>) pass unchanged; messages are sent with no mention parsing anyway.
 */

export const DISCORD_MAX_CONTENT = 2000;

export function escapeDiscord(text: string): string {
  return text
    .replace(/[\\*_~`|]/g, '\\$&')
    .replace(/^(\s*)(>|-?#+(?=\s)|[-+](?=\s))/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.');
}

function fence(code: string, lang = ''): string {
  // A fence cannot be escaped inside a block: a zero-width space keeps three backticks from closing it.
  return `\`\`\`${lang}\n${code.replace(/```/g, '`\u200b``')}\n\`\`\`\n\n`;
}

export const discordMarkdown: MarkdownRenderer = {
  ...chatBlocks,
  text: escapeDiscord,
  escape: (char) => `\\${char}`,
  strong: (inner) => `**${inner}**`,
  em: (inner) => `*${inner}*`,
  del: (inner) => `~~${inner}~~`,
  codespan: (code) => (code.includes('`') ? `\`\` ${code} \`\`` : `\`${code}\``),
  br: () => '\n',
  link: (label, href, text) => {
    if (!SAFE_LINK.test(href)) return label;
    return text === href ? href : `[${label.replace(/[[\]]/g, '\\$&')}](${href.replace(/[()]/g, '\\$&')})`;
  },
  image: (alt, href) =>
    SAFE_LINK.test(href)
      ? alt
        ? `[${escapeDiscord(alt)}](${href.replace(/[()]/g, '\\$&')})`
        : href
      : escapeDiscord(alt),
  html: escapeDiscord,
  heading: (inner, depth) => (depth <= 3 ? `${'#'.repeat(depth)} ${inner}\n\n` : `**${inner}**\n\n`),
  code: (code, lang) => fence(code, lang && /^[\w+-]{1,30}$/.test(lang) ? lang : ''),
  blockquote: quoteLines,
  list: (items, ordered, start) =>
    listLines(items, ordered, start, { bullet: '-', indent: (marker) => ' '.repeat(marker.length + 1) }),
  table: (rows) => fence(alignColumns(rows)),
};

export function toDiscordMarkdown(markdown: string): string {
  return renderMarkdown(markdown, discordMarkdown);
}

/** A reply's text as Discord messages of at most 2000 characters. */
export function toDiscordMessages(markdown: string, max = DISCORD_MAX_CONTENT): string[] {
  return renderMessages(markdown, discordMarkdown, max);
}
