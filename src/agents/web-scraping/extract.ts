import { Readability } from '@mozilla/readability';
import { load, type CheerioAPI } from 'cheerio';
import { parseHTML } from 'linkedom';

export type ScrapeFormat = 'text' | 'table' | 'json' | 'markdown';

export interface PageLink {
  href: string;
  text: string;
}

export interface PageMetadata {
  title?: string;
  description?: string;
  canonical?: string;
  lang?: string;
  /** og:* properties without the prefix: title, description, image, type, url, site_name. */
  openGraph: Record<string, string>;
  /** Every JSON-LD block that parses. */
  jsonLd: unknown[];
}

export interface ExtractedPage {
  title: string;
  /** Readable text: the article (Readability), or what the selector matched. */
  text: string;
  links: PageLink[];
  metadata: PageMetadata;
  /** Rows of the first table (in the selector's matches when one was given); the first row is the header. */
  table?: string[][];
  /** What the selector matched, one entry per element. */
  matches?: { text: string; html: string; attributes: Record<string, string> }[];
  markdown?: string;
}

const squash = (s: string) =>
  s
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();

/**
 * What a page says, from its HTML: readable article text (Mozilla Readability over linkedom's DOM),
 * links with absolute addresses, metadata (title, description, Open Graph, JSON-LD), tables and CSS
 * selector matches (cheerio), and Markdown of the article.
 */
export function extractPage(
  html: string,
  url: string,
  selector?: string,
  format: ScrapeFormat = 'text',
): ExtractedPage {
  const $ = load(html);
  const metadata = readMetadata($);
  const links = readLinks($, url);
  const article = readArticle(html);
  const title = metadata.openGraph.title ?? metadata.title ?? article?.title ?? '';
  let text = article?.text || bodyText($);
  let table: string[][] | undefined;
  let matches: ExtractedPage['matches'];
  if (selector) {
    let found;
    try {
      found = $(selector);
    } catch {
      throw new SelectorError(`"${selector}" is not a CSS selector I can read`);
    }
    matches = found.toArray().map((el) => ({
      text: squash($(el).text()),
      html: $(el).html() ?? '',
      attributes: { ...('attribs' in el ? el.attribs : {}) },
    }));
    text = matches.map((m) => m.text).join('\n');
    if (format === 'table') table = readTable($, found.is('table') ? found.first() : found.find('table').first());
  } else if (format === 'table') {
    table = readTable($, $('table').first());
  }
  const markdown = format === 'markdown' ? toMarkdown(article?.html ?? $('body').html() ?? '', url) : undefined;
  return { title, text, links, metadata, table, matches, markdown };
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}

function readArticle(html: string): { title: string; text: string; html: string } | undefined {
  try {
    // linkedom's types do not resolve under this project's settings: its DOM is what Readability reads.
    const parse = parseHTML as unknown as (html: string) => { document: object };
    const { document } = parse(html);
    const parsed = new Readability(document, {
      charThreshold: 100,
    }).parse();
    if (!parsed?.textContent?.trim()) return undefined;
    // textContent runs paragraphs together ("…month.Paragraph 2"): the text is read from the article's HTML.
    const content = parsed.content ?? '';
    return { title: parsed.title ?? '', text: blockText(load(content).root()), html: content };
  } catch {
    return undefined;
  }
}

function bodyText($: CheerioAPI): string {
  const body = $('body').clone();
  body.find('nav, header, footer').remove();
  return blockText(body);
}

/** Text with a line per block (paragraph, heading, list item, table row), without scripts and styles. */
function blockText(el: ReturnType<CheerioAPI>): string {
  el.find('script, style, noscript, template, svg').remove();
  el.find('p, div, li, h1, h2, h3, h4, h5, h6, tr, br, section, article, pre, blockquote').after('\n');
  return squash(el.text());
}

function readMetadata($: CheerioAPI): PageMetadata {
  const meta = (name: string) =>
    $(`meta[name="${name}"]`).attr('content')?.trim() ?? $(`meta[property="${name}"]`).attr('content')?.trim();
  const openGraph: Record<string, string> = {};
  $('meta[property^="og:"]').each((_, el) => {
    const key = $(el).attr('property')!.slice(3);
    const value = $(el).attr('content')?.trim();
    if (key && value && !(key in openGraph)) openGraph[key] = value;
  });
  const jsonLd: unknown[] = [];
  $('script[type="application/ld+json"]').each((_, el) => {
    try {
      jsonLd.push(JSON.parse($(el).text()) as unknown);
    } catch {
      // A broken block says nothing we can trust.
    }
  });
  const title = squash($('head > title').first().text()) || undefined;
  return {
    title,
    description: meta('description') ?? openGraph.description,
    canonical: $('link[rel="canonical"]').attr('href'),
    lang: $('html').attr('lang'),
    openGraph,
    jsonLd,
  };
}

function readLinks($: CheerioAPI, base: string): PageLink[] {
  const seen = new Set<string>();
  const out: PageLink[] = [];
  $('a[href]').each((_, el) => {
    let href: string;
    try {
      const u = new URL($(el).attr('href')!, base);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return;
      u.hash = '';
      href = u.toString();
    } catch {
      return;
    }
    if (seen.has(href)) return;
    seen.add(href);
    out.push({ href, text: squash($(el).text()) });
  });
  return out;
}

function readTable($: CheerioAPI, table: ReturnType<CheerioAPI>): string[][] | undefined {
  if (table.length === 0) return undefined;
  const rows = table
    .find('tr')
    .toArray()
    .map((tr) =>
      $(tr)
        .children('th, td')
        .toArray()
        .map((cell) => squash($(cell).text())),
    )
    .filter((r) => r.length > 0);
  return rows.length ? rows : undefined;
}

/** Markdown of an article's HTML: headings, paragraphs, lists, links, emphasis, code, tables as rows. */
export function toMarkdown(html: string, base: string): string {
  const $ = load(html);
  const inline = (el: ReturnType<CheerioAPI>): string =>
    el
      .contents()
      .toArray()
      .map((node) => {
        if ('data' in node && String(node.type) === 'text') return node.data.replace(/\s+/g, ' ');
        if (!('tagName' in node)) return '';
        const child = $(node);
        const inner = inline(child);
        switch (node.tagName) {
          case 'a': {
            const href = child.attr('href');
            if (!href) return inner;
            try {
              return `[${inner.trim()}](${new URL(href, base).toString()})`;
            } catch {
              return inner;
            }
          }
          case 'strong':
          case 'b':
            return `**${inner.trim()}**`;
          case 'em':
          case 'i':
            return `*${inner.trim()}*`;
          case 'code':
            return `\`${child.text()}\``;
          case 'br':
            return '\n';
          default:
            return inner;
        }
      })
      .join('');
  const blocks: string[] = [];
  const walk = (el: ReturnType<CheerioAPI>) => {
    for (const node of el.children().toArray()) {
      const child = $(node);
      const tag = node.tagName;
      if (/^h[1-6]$/.test(tag)) blocks.push(`${'#'.repeat(Number(tag[1]))} ${inline(child).trim()}`);
      else if (tag === 'p') blocks.push(inline(child).trim());
      else if (tag === 'ul' || tag === 'ol')
        blocks.push(
          child
            .children('li')
            .toArray()
            .map((li, i) => `${tag === 'ol' ? `${i + 1}.` : '-'} ${inline($(li)).trim()}`)
            .join('\n'),
        );
      else if (tag === 'pre') blocks.push('```\n' + child.text().trimEnd() + '\n```');
      else if (tag === 'blockquote') blocks.push(`> ${inline(child).trim()}`);
      else if (tag === 'table') {
        const rows = readTable($, child) ?? [];
        if (rows.length) {
          const line = (r: string[]) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
          blocks.push([line(rows[0]!), line(rows[0]!.map(() => '---')), ...rows.slice(1).map(line)].join('\n'));
        }
      } else if (['script', 'style', 'noscript', 'template'].includes(tag)) continue;
      else walk(child);
    }
  };
  walk($.root());
  return blocks.filter(Boolean).join('\n\n');
}
