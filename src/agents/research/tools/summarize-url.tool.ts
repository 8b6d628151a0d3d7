import { z } from 'zod';
import { modelOf, type Complete } from '../research-llm.js';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { answering, ToolError } from '../../../sdk/tool-error.js';
import { keepCited, sourceList } from '../answer.js';
import { fetchPages } from '../fetch-pages.js';
import { keywords, topSentences, type Source } from '../passages.js';
import type { ResearchDeps } from '../research.types.js';
import { expected, remember, urlsIn } from './research.tool.js';
import { RESEARCH_EXAMPLES } from './research.examples.js';

const SYSTEM =
  'Summarise the page you are given in at most 5 sentences, from its text only. End every sentence with [1].';

/** A model's summary, cut to its cited sentences; or the page's most telling sentences, in order. */
async function summarize(complete: Complete | undefined, page: Source, signal: AbortSignal) {
  if (complete) {
    try {
      const written = await complete(SYSTEM, `Title: ${page.title}\n\n[1] ${page.text.slice(0, 12_000)}`, signal);
      const text = keepCited(written, new Set([1]));
      if (text) return { text, method: 'synthesis' as const };
    } catch (err) {
      if (signal.aborted) throw err;
      // Quoted below instead.
    }
  }
  const best = topSentences([page], `${page.title} ${keywords(page.text)}`, 4).sort((a, b) => a.id - b.id);
  if (best.length === 0) return undefined;
  return { text: best.map((s) => `${s.text} [1]`).join(' '), method: 'extractive' as const };
}

export function summarizeUrlTool(deps: ResearchDeps): ToolDefinition {
  return defineTool({
    name: 'summarize_url',
    description: 'Read one web page and summarise it, citing it',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    input: z.object({ url: z.url({ protocol: /^https?$/ }) }),
    examples: RESEARCH_EXAMPLES.summarize_url,
    extract: (text, entities) => {
      const [url] = urlsIn(text, entities);
      return url ? { url } : {};
    },
    handler: ({ url }, ctx) =>
      answering(expected, async () => {
        const { sources, failed } = await fetchPages(ctx, [url]);
        const page = sources[0];
        if (!page) throw new ToolError(`I could not read ${url}: ${failed[0]?.reason ?? 'no text'}`);
        const summary = await summarize(modelOf(ctx), page, ctx.signal);
        if (!summary) throw new ToolError(`${url} has no sentences worth summarising.`);
        const listed = [{ n: 1, title: page.title, url: page.url }];
        await remember(ctx, {
          kind: 'summary',
          question: page.title || page.url,
          answer: summary.text,
          method: summary.method,
          sources: listed,
          at: deps.clock.now().toISOString(),
        });
        return {
          text: `${page.title ? `${page.title}: ` : ''}${summary.text}\n\nSource:\n${sourceList([page])}`,
          data: { url: page.url, title: page.title, summary: summary.text, method: summary.method, sources: listed },
        };
      }),
  });
}
