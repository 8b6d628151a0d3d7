import { z } from 'zod';
import { modelOf } from '../research-llm.js';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { answering, ToolError } from '../../../sdk/tool-error.js';
import { keepCited, sourceList } from '../answer.js';
import { topPassages, topSentences, type Source } from '../passages.js';
import { LONG_ANSWER_CHARS, reportAttachments } from '../report.js';
import { researchConfig } from '../research.config.js';
import type { ResearchDeps } from '../research.types.js';
import { expected, NoHits, pagesFor, remember, urlsIn } from './research.tool.js';
import { RESEARCH_EXAMPLES } from './research.examples.js';

const DEFAULT_CRITERIA = ['price', 'features', 'ease of use'];
const LIST_SPLIT = /\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+vs\.?\s+|\s+versus\s+/i;

const list = (words: string | undefined) =>
  (words ?? '')
    .split(LIST_SPLIT)
    .map((w) => w.replace(/^(?:the|a|an)\s+/i, '').trim())
    .filter(Boolean);

/** "compare Notion and Obsidian on price and offline use" -> options and criteria. */
export function readComparison(text: string): { options?: string[]; criteria?: string[] } {
  const said = text
    .replace(/\bhttps?:\/\/\S+/gi, ' ')
    .replace(/[?.!]+\s*$/, '')
    .trim();
  const m =
    /^(?:please\s+)?(?:compare|which is better,?|contrast)\s+(.+?)(?:\s+(?:on|by|for|in terms of|against|regarding)\s+(.+))?$/i.exec(
      said,
    ) ?? /^(.+?\s+(?:vs\.?|versus)\s+.+?)(?:\s+(?:on|by|for|in terms of|regarding)\s+(.+))?$/i.exec(said);
  if (!m) return {};
  const options = list(m[1]);
  const criteria = list(m[2]);
  return { ...(options.length >= 2 ? { options } : {}), ...(criteria.length ? { criteria } : {}) };
}

const cellText = (s: string) => {
  const clean = s.replace(/\|/g, '/').replace(/\s+/g, ' ');
  return clean.length > 180 ? `${clean.slice(0, 177).trimEnd()}…` : clean;
};

/** Words pages use for the usual criteria, which BM25 alone would not match ("price" vs "costs"). */
const RELATED: [RegExp, string][] = [
  [
    /\b(?:price|pricing|cost|costs|cheap|expensive|value)\b/i,
    'price pricing cost costs free plan month year dollars euros paid',
  ],
  [/\b(?:ease|easy|usability|learning)\b/i, 'easy simple learn learning curve intuitive'],
  [/\b(?:offline)\b/i, 'offline local connection internet sync'],
  [/\b(?:privacy|security|secure)\b/i, 'privacy private encrypted encryption security data'],
  [/\b(?:support|help)\b/i, 'support help documentation community'],
];

const widened = (criterion: string) =>
  [criterion, ...RELATED.filter(([test]) => test.test(criterion)).map(([, words]) => words)].join(' ');

/** The sentence of an option's pages that best speaks to one criterion, preferring ones naming it. */
function cell(sources: Source[], option: string, criterion: string): string {
  const best = topSentences(sources, `${option} ${widened(criterion)}`, 8);
  const name = option.toLowerCase();
  const pick = best.find((s) => s.text.toLowerCase().includes(name)) ?? best[0];
  return pick ? `${cellText(pick.text)} [${pick.source}]` : 'not found';
}

const VERDICT =
  'You compare options from the numbered passages you are given, and from nothing else. In at most 4 sentences, say which option suits which need. Cite every sentence like [1].';

export function compareTool(deps: ResearchDeps): ToolDefinition {
  return defineTool({
    name: 'compare',
    description:
      'Compare two or more options (products, services, approaches) against criteria, from web sources, as a cited table',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    input: z.object({
      options: z.array(z.string().trim().min(1).max(100)).min(2).max(5),
      criteria: z.array(z.string().trim().min(1).max(100)).max(8).optional(),
      urls: z
        .array(z.url({ protocol: /^https?$/ }))
        .max(10)
        .optional(),
    }),
    examples: RESEARCH_EXAMPLES.compare,
    extract: (text, entities) => {
      const urls = urlsIn(text, entities);
      return { ...readComparison(text), ...(urls.length ? { urls } : {}) };
    },
    handler: ({ options, criteria, urls }, ctx) =>
      answering(expected, async () => {
        const against = criteria?.length ? criteria : DEFAULT_CRITERIA;
        const { sourcesPerOption } = researchConfig(ctx.config);
        const byOption = new Map<string, Source[]>();
        const sources: Source[] = [];
        const notes: string[] = [];
        if (urls?.length) {
          const read = await pagesFor(deps, ctx, options.join(' '), urls, urls.length);
          sources.push(...read.sources);
          notes.push(...read.notes);
          for (const o of options) byOption.set(o, read.sources);
        } else {
          for (const o of options) {
            try {
              const read = await pagesFor(deps, ctx, `${o} ${against.join(' ')}`, [], sourcesPerOption, sources);
              sources.push(...read.sources.filter((s) => !sources.includes(s)));
              notes.push(...read.notes);
              byOption.set(o, read.sources);
            } catch (err) {
              if (!(err instanceof NoHits)) throw err;
              notes.push(err.message);
              byOption.set(o, []);
            }
          }
        }
        if (sources.length === 0) throw new ToolError(`I could not read any page about ${options.join(' or ')}.`);
        const rows = against.map(
          (c) => `| ${cellText(c)} | ${options.map((o) => cell(byOption.get(o)!, o, c)).join(' | ')} |`,
        );
        const table = [
          `| Criterion | ${options.map(cellText).join(' | ')} |`,
          `|---|${options.map(() => '---').join('|')}|`,
          ...rows,
        ].join('\n');
        let verdict = '';
        const complete = modelOf(ctx);
        if (complete) {
          const passages = topPassages(sources, `${options.join(' ')} ${against.join(' ')}`, 10);
          const block = passages.map((p) => `[${p.source}] ${p.text}`).join('\n\n');
          try {
            verdict = keepCited(
              await complete(
                VERDICT,
                `Options: ${options.join(', ')}\nCriteria: ${against.join(', ')}\n\nPassages:\n${block}`,
                ctx.signal,
              ),
              new Set(sources.map((s) => s.n)),
            );
          } catch (err) {
            if (ctx.signal.aborted) throw err;
            notes.push(`the model failed (${(err as Error).name}); the table stands without a verdict`);
          }
        }
        const body = verdict ? `${table}\n\n${verdict}` : table;
        const title = options.join(' vs ');
        const listed = sources.map(({ n, title: t, url }) => ({ n, title: t, url }));
        const at = deps.clock.now();
        await remember(ctx, {
          kind: 'compare',
          question: `${title} (${against.join(', ')})`,
          answer: body,
          method: verdict ? 'synthesis' : 'extractive',
          sources: listed,
          at: at.toISOString(),
        });
        const text = `${body}\n\nSources:\n${sourceList(sources)}`;
        return {
          text: notes.length ? `${text}\n\n${notes.map((n) => `Note: ${n}`).join('\n')}` : text,
          data: { options, criteria: against, table, verdict: verdict || undefined, sources: listed, notes },
          attachments:
            text.length > LONG_ANSWER_CHARS ? await reportAttachments({ title, body, sources, notes, at }) : undefined,
        };
      }),
  });
}
