import { z } from 'zod';
import { modelOf } from '../research-llm.js';
import { DomainError } from '../../../common/errors.js';
import { defineTool, type Entity, type ToolContext, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { answering, ToolError } from '../../../sdk/tool-error.js';
import { GrantedSecretLocked } from '../../../vault/granted-secret.js';
import { citedAnswer, sourceList } from '../answer.js';
import { fetchPages } from '../fetch-pages.js';
import type { Source } from '../passages.js';
import { LONG_ANSWER_CHARS, reportAttachments } from '../report.js';
import { researchConfig } from '../research.config.js';
import { MEMORY_TYPE, type Finding, type ResearchDeps } from '../research.types.js';
import { SearchFailed } from '../search-providers.js';
import { RESEARCH_EXAMPLES } from './research.examples.js';

/** The search found no page for a query (a comparison goes on without that option's pages). */
export class NoHits extends ToolError {
  override name = 'NoHits';
}

/** Errors that are answers for the person (a locked vault, a refused host, a failing search). */
export const expected = [GrantedSecretLocked, SearchFailed, DomainError];

const URL_IN_TEXT = /\bhttps?:\/\/\S+/gi;

/** The URLs a person named, from the router's entities or the words themselves. */
export function urlsIn(text: string, entities: Entity[]): string[] {
  const found = entities.flatMap((e) => (e.type === 'url' ? [e.value] : []));
  for (const m of text.match(URL_IN_TEXT) ?? []) found.push(m.replace(/[).,;]+$/, ''));
  return [...new Set(found.filter((u) => /^https?:\/\//i.test(u)))];
}

const LEAD =
  /^(?:please\s+|can you\s+|could you\s+)?(?:do some\s+)?(?:research(?:\s+(?:on|about|into))?|look\s+into|find\s+out(?:\s+about)?|dig\s+into|investigate|read\s+up\s+on|what\s+does\s+the\s+web\s+say\s+about)\s+/i;

/** "research the best CRM for freelancers" -> "the best CRM for freelancers". */
export function questionIn(text: string): string {
  return text
    .replace(URL_IN_TEXT, ' ')
    .replace(/\s+/g, ' ')
    .replace(
      /,?\s+(?:and\s+)?(?:write|make|give|send|attach)\s+(?:me\s+)?(?:an?\s+|the\s+)?(?:pdf\s+|markdown\s+)?report\b.*$/i,
      '',
    )
    .replace(/\s+(?:using|from|with|in|at)(?:\s+(?:these|this|the|and|,))*\s*(?:pages?|sources?|links?)?[:,\s]*$/i, '')
    .trim()
    .replace(LEAD, '')
    .replace(/[?.!\s]+$/, '')
    .trim();
}

/**
 * Pages for a question: the URLs given, else the top hits of the person's search provider. Throws a
 * ToolError that says how to set one up when there is none.
 */
export async function pagesFor(
  deps: ResearchDeps,
  ctx: ToolContext,
  query: string,
  urls: string[],
  count: number,
  /** Pages read already (a comparison's other options): reused, not read again. */
  known: Source[] = [],
): Promise<{ sources: Source[]; notes: string[]; provider?: string }> {
  let list = urls;
  let provider: string | undefined;
  if (list.length === 0) {
    const search = await deps.providers.for(ctx.userId);
    if (!search)
      throw new ToolError(
        'No web search is set up: the owner can set SEARXNG_URL, you can keep a Brave Search or Tavily key in your vault and grant it to agent #18 (service brave-search or tavily), or give me the URLs to read.',
      );
    provider = search.name;
    ctx.progress?.(`Searching the web for "${query}"…`);
    const hits = await search.search(query, count, ctx.signal);
    if (hits.length === 0) throw new NoHits(`The search found nothing for "${query}".`);
    list = hits.map((h) => h.url);
  }
  const reused = known.filter((s) => list.includes(s.url));
  const fresh = [...new Set(list)].filter((url) => !reused.some((s) => s.url === url));
  if (fresh.length) ctx.progress?.(`Reading ${fresh.length} source${fresh.length === 1 ? '' : 's'}…`);
  const { sources, failed } = await fetchPages(ctx, fresh, known.length + 1);
  const notes = failed.map((f) => `Could not read ${f.url}: ${f.reason}`);
  return { sources: [...reused, ...sources], notes, provider };
}

/** Saves a finding so that `recall` brings it back later. */
export async function remember(ctx: ToolContext, finding: Finding): Promise<void> {
  await ctx.memory.save(MEMORY_TYPE, finding);
}

export function researchTool(deps: ResearchDeps): ToolDefinition {
  return defineTool({
    name: 'research',
    description:
      'Research a question on the web (or in the pages given): search, read the pages, answer with numbered citations of the sources',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    input: z.object({
      question: z.string().trim().min(3).max(500),
      urls: z
        .array(z.url({ protocol: /^https?$/ }))
        .max(10)
        .optional(),
      /** Attach the report as Markdown and PDF even when the answer is short. */
      report: z.boolean().default(false),
    }),
    examples: RESEARCH_EXAMPLES.research,
    extract: (text, entities) => {
      const urls = urlsIn(text, entities);
      return {
        question: questionIn(text) || undefined,
        ...(urls.length ? { urls } : {}),
        ...(/\b(report|pdf)\b/i.test(text) ? { report: true } : {}),
      };
    },
    handler: ({ question, urls, report }, ctx) =>
      answering(expected, async () => {
        const { sources, notes, provider } = await pagesFor(
          deps,
          ctx,
          question,
          urls ?? [],
          researchConfig(ctx.config).maxSources,
        );
        if (sources.length === 0) throw new ToolError(`I could not read any of the pages. ${notes.join('; ')}`);
        const complete = modelOf(ctx);
        ctx.progress?.(complete ? `Writing the answer from ${sources.length} sources…` : 'Picking the best passages…');
        const answer = await citedAnswer(complete, sources, question, ctx.signal);
        if (!answer) throw new ToolError(`The ${sources.length} page(s) I read say nothing about "${question}".`);
        if (answer.modelFailed) notes.push(answer.modelFailed);
        const at = deps.clock.now();
        const text = `${answer.text}\n\nSources:\n${sourceList(sources)}`;
        const listed = sources.map(({ n, title, url }) => ({ n, title, url }));
        await remember(ctx, {
          kind: 'research',
          question,
          answer: answer.text,
          method: answer.method,
          sources: listed,
          at: at.toISOString(),
        });
        const attach = report || text.length > LONG_ANSWER_CHARS;
        return {
          text: notes.length ? `${text}\n\n${notes.map((n) => `Note: ${n}`).join('\n')}` : text,
          data: { question, answer: answer.text, method: answer.method, provider, sources: listed, notes },
          attachments: attach
            ? await reportAttachments({ title: question, body: answer.text, sources, notes, at })
            : undefined,
          nextSuggestedActions: ['compare', 'recall'],
        };
      }),
  });
}
