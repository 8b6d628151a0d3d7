import { z } from 'zod';
import { defineTool, type Attachment, type ToolDefinition } from '../../../sdk/agent.contract.js';
import type { Scraper } from '../scraper.js';
import { attach, clip, fileStem, LONG_TABLE_ROWS, LONG_TEXT, toCsv, urlIn } from './results.js';
import { WEB_SCRAPING_EXAMPLES } from './web-scraping.examples.js';

const FORMATS = ['text', 'table', 'json', 'markdown'] as const;

export function scrapeTools(scraper: Scraper): ToolDefinition[] {
  return [
    defineTool({
      name: 'scrape',
      description:
        'Read a web page: its readable text, title, links and metadata; a CSS selector, a table, JSON or Markdown on request',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      input: z.object({
        url: z.string().trim().min(1, 'which page? give me its address').max(2048),
        selector: z.string().trim().min(1).max(500).optional(),
        format: z.enum(FORMATS).optional(),
        render: z.boolean().optional(),
      }),
      examples: WEB_SCRAPING_EXAMPLES.scrape,
      extract: (text, entities) => {
        const url = urlIn(text, entities);
        const selector = /["“']([^"”']+)["”']/.exec(text)?.[1] ?? /\bselector\s+(\S+)/i.exec(text)?.[1];
        const format: (typeof FORMATS)[number] | undefined = /\b(csv|table)\b/i.test(text)
          ? 'table'
          : /\bjson\b/i.test(text)
            ? 'json'
            : /\bmarkdown\b/i.test(text)
              ? 'markdown'
              : undefined;
        const render = /\b(render|javascript|js)\b/i.test(text) || undefined;
        return { url, selector, format, render };
      },
      handler: async (p, ctx) => {
        const page = await scraper.scrape(p, ctx.signal);
        const stem = fileStem(page.url);
        const attachments: Attachment[] = [];
        const head = `**${page.title || page.url}**\n${page.url}${page.rendered ? ' (rendered with JavaScript)' : ''}`;
        let body: string;
        if (p.format === 'table') {
          const rows = page.table ?? [];
          if (rows.length === 0) body = 'I found no table there.';
          else {
            if (rows.length > LONG_TABLE_ROWS) attachments.push(attach(`${stem}.csv`, 'text/csv', toCsv(rows)));
            body = rows
              .slice(0, LONG_TABLE_ROWS)
              .map((r) => r.join(' | '))
              .join('\n');
            if (rows.length > LONG_TABLE_ROWS) body += `\n… ${rows.length} rows in all, in the attached CSV.`;
          }
        } else if (p.format === 'json') {
          const json = JSON.stringify(
            { url: page.url, title: page.title, metadata: page.metadata, items: page.items, table: page.table },
            null,
            2,
          );
          attachments.push(attach(`${stem}.json`, 'application/json', json));
          body = p.selector
            ? `${page.items?.length ?? 0} element(s) matched ${p.selector}; they are in the attached JSON.`
            : 'The page as JSON is attached.';
        } else if (p.format === 'markdown') {
          const md = page.markdown ?? page.text;
          if (md.length > LONG_TEXT) attachments.push(attach(`${stem}.md`, 'text/markdown', md));
          body = clip(md, LONG_TEXT);
        } else {
          if (page.text.length > LONG_TEXT)
            attachments.push(attach(`${stem}.md`, 'text/markdown', `# ${page.title}\n\n${page.url}\n\n${page.text}\n`));
          body = page.text ? clip(page.text, LONG_TEXT) : 'The page has no readable text.';
          if (p.selector && !page.items?.length) body = `Nothing on the page matches ${p.selector}.`;
        }
        return {
          text: `${head}\n\n${body}`,
          data: {
            url: page.url,
            title: page.title,
            text: page.text,
            links: page.links,
            metadata: page.metadata,
            ...(page.table ? { table: page.table } : {}),
            ...(page.items ? { items: page.items } : {}),
            rendered: page.rendered,
          },
          attachments,
        };
      },
    }),
    defineTool({
      name: 'crawl',
      description:
        'Crawl a site from a page, or the pages of a sitemap: same site by default, with depth and page limits',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      input: z.object({
        url: z.string().trim().min(1, 'which site? give me its address').max(2048),
        depth: z.number().int().min(0).max(3).default(1),
        maxPages: z.number().int().min(1).max(200).default(25),
        sameSite: z.boolean().default(true),
      }),
      examples: WEB_SCRAPING_EXAMPLES.crawl,
      extract: (text, entities) => ({
        url: urlIn(text, entities),
        depth: Number(/\b(\d)\s+levels?\b/i.exec(text)?.[1] ?? /\bdepth\s+(\d)\b/i.exec(text)?.[1]) || undefined,
        maxPages: Number(/\b(\d{1,3})\s+pages\b/i.exec(text)?.[1]) || undefined,
      }),
      handler: async (p, ctx) => {
        ctx.progress?.(`Crawling ${p.url}…`);
        const onPage = (n: number) => ctx.progress?.(`Read ${n} page(s) of ${p.url} so far…`);
        const crawl = await scraper.crawl({ ...p, onPage }, ctx.signal);
        const seconds = crawl.elapsedMs / 1000;
        const rate = seconds > 0 ? crawl.pages.length / seconds : crawl.pages.length;
        const lines = crawl.pages.slice(0, 15).map((pg) => `- ${pg.title || '(untitled)'} — ${pg.url}`);
        if (crawl.pages.length > 15) lines.push(`… and ${crawl.pages.length - 15} more in the attached JSON.`);
        const skipped = crawl.skipped.length
          ? `\nSkipped ${crawl.skipped.length}: ${crawl.skipped
              .slice(0, 5)
              .map((s) => s.reason)
              .join('; ')}`
          : '';
        return {
          text: `Crawled ${crawl.pages.length} page(s) in ${seconds.toFixed(1)} s.\n${lines.join('\n')}${skipped}`,
          data: {
            pages: crawl.pages.map(({ url, title, depth }) => ({ url, title, depth })),
            skipped: crawl.skipped,
            elapsedMs: crawl.elapsedMs,
            pagesPerSecond: Number(rate.toFixed(2)),
          },
          attachments: [
            attach(`${fileStem(p.url)}-crawl.json`, 'application/json', JSON.stringify(crawl.pages, null, 2)),
          ],
        };
      },
    }),
  ];
}
