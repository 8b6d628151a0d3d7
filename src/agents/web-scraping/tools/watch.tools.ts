import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import type { PageWatcher } from '../page-watcher.js';
import { urlIn } from './results.js';
import { WEB_SCRAPING_EXAMPLES } from './web-scraping.examples.js';

/** "this week" → 7, "last 3 days" → 3; nothing said → the default (a day). */
const DAYS = (text: string): number | undefined => {
  const n = /\b(\d{1,3})\s*days?\b/i.exec(text)?.[1];
  if (n) return Number(n);
  return /\bweek\b/i.test(text) ? 7 : undefined;
};

/** The first changed lines of a diff, on one line: "- €10 per month / + €12 per month". */
export function changeSummary(diff: string | null, lines = 3): string {
  const changed = (diff ?? '').split('\n').filter((l) => l.startsWith('- ') || l.startsWith('+ '));
  if (!changed.length) return 'changed';
  return changed.slice(0, lines).join(' / ') + (changed.length > lines ? ' / …' : '');
}

const EVERY = /\bevery\s+(?:\d+\s*)?(?:minutes?|mins?|hours?|hrs?|days?|weeks?)\b|\b(?:hourly|daily|weekly)\b/i;

export function watchTools(watcher: PageWatcher): ToolDefinition[] {
  return [
    defineTool({
      name: 'watch_page',
      description: 'Watch a web page (or a CSS selector on it) and tell me here when it changes',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      input: z.object({
        url: z.string().trim().min(1, 'which page? give me its address').max(2048),
        selector: z.string().trim().min(1).max(500).optional(),
        every: z.string().trim().max(64).optional(),
      }),
      examples: WEB_SCRAPING_EXAMPLES.watch_page,
      extract: (text, entities) => ({
        url: urlIn(text, entities),
        selector: /["“']([^"”']+)["”']/.exec(text)?.[1],
        every: EVERY.exec(text)?.[0],
      }),
      handler: async (p, ctx) => {
        const { watch, page } = await watcher.start(ctx.userId, p, ctx.caller?.address, ctx.signal);
        return {
          text: `Watching ${p.selector ? `${p.selector} on ` : ''}${page.title || watch.url} (${watch.url}) ${watch.every}; I will tell you here when it changes.`,
          data: { id: watch.id, url: watch.url, selector: watch.selector, every: watch.every, cron: watch.cron },
        };
      },
    }),
    defineTool({
      name: 'list_watches',
      description: 'The web pages I watch for you',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({}),
      examples: WEB_SCRAPING_EXAMPLES.list_watches,
      handler: async (_p, ctx) => {
        const watches = await watcher.list(ctx.userId);
        return {
          text: watches.length
            ? watches.map((w) => `- ${w.selector ? `${w.selector} on ` : ''}${w.url} (${w.every})`).join('\n')
            : 'You are not watching any page. Say "watch https://… for changes".',
          data: watches.map((w) => ({ id: w.id, url: w.url, selector: w.selector, every: w.every })),
        };
      },
    }),
    defineTool({
      name: 'recent_changes',
      description: 'Which of the web pages I watch changed lately, and how',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({ days: z.number().int().min(1).max(90).default(1) }),
      examples: WEB_SCRAPING_EXAMPLES.recent_changes,
      extract: (text) => ({ days: DAYS(text) }),
      handler: async (p, ctx) => {
        const changes = await watcher.recentChanges(ctx.userId, p.days);
        const window = p.days === 1 ? 'the last day' : `the last ${p.days} days`;
        const rows = changes.map((c) => ({
          id: c.id,
          url: c.url,
          selector: c.selector,
          changedAt: c.changedAt.toISOString(),
          summary: changeSummary(c.diff),
        }));
        return {
          text: rows.length
            ? [
                `Changed in ${window}:`,
                ...rows.map((r) => `- ${r.selector ? `${r.selector} on ` : ''}${r.url}: ${r.summary}`),
              ].join('\n')
            : `None of the pages you watch changed in ${window}.`,
          data: { days: p.days, changes: rows },
        };
      },
    }),
    defineTool({
      name: 'stop_watching',
      description: 'Stop watching a web page (all of them when no address is given)',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
      input: z.object({ url: z.string().trim().max(2048).optional() }),
      examples: WEB_SCRAPING_EXAMPLES.stop_watching,
      extract: (text, entities) => ({ url: urlIn(text, entities) }),
      handler: async (p, ctx) => {
        const stopped = await watcher.stop(ctx.userId, p.url);
        return {
          text: stopped.length
            ? `Stopped watching ${stopped.map((w) => w.url).join(', ')}.`
            : p.url
              ? `You were not watching ${p.url}.`
              : 'You were not watching any page.',
          data: stopped.map((w) => ({ id: w.id, url: w.url })),
        };
      },
    }),
  ];
}
