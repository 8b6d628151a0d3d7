import MiniSearch from 'minisearch';
import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { MEMORY_TYPE, type Finding, type ResearchDeps } from '../research.types.js';
import { RESEARCH_EXAMPLES } from './research.examples.js';

const DAY_MS = 86_400_000;

/** How far back each period reaches, in days ("last week": all of it, wherever today falls in this one). */
const PERIOD_DAYS = {
  today: 1,
  yesterday: 2,
  'this week': 7,
  'last week': 14,
  'this month': 31,
  'last month': 62,
  'this year': 366,
} as const;
type Period = keyof typeof PERIOD_DAYS;
const PERIODS = Object.keys(PERIOD_DAYS) as [Period, ...Period[]];

/** "what did you find last week" -> "last week". */
export function periodIn(text: string): Period | undefined {
  const t = text.toLowerCase();
  return PERIODS.find((p) => new RegExp(`\\b${p}\\b`).test(t));
}

/** "what did you find about CRMs last week" -> "CRMs". */
export function topicIn(text: string): string | undefined {
  const m = /\b(?:about|on|regarding|into|for)\s+(.+)$/i.exec(text.replace(/[?.!]+\s*$/, ''));
  const topic = m?.[1]
    ?.replace(/\b(?:today|yesterday|(?:this|last)\s+(?:week|month|year)|again|earlier|before)\b/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
  return topic || undefined;
}

const asFinding = (v: unknown): Finding | undefined => {
  const f = v as Partial<Finding> | null;
  return f && typeof f.question === 'string' && typeof f.answer === 'string' && typeof f.at === 'string'
    ? (f as Finding)
    : undefined;
};

export function recallTool(deps: ResearchDeps): ToolDefinition {
  return defineTool({
    name: 'recall',
    description: 'Recall earlier research, comparisons and summaries, with their sources',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
    input: z.object({
      topic: z.string().trim().max(200).optional(),
      period: z.enum(PERIODS).optional(),
    }),
    examples: RESEARCH_EXAMPLES.recall,
    extract: (text) => {
      const topic = topicIn(text);
      const period = periodIn(text);
      return { ...(topic ? { topic } : {}), ...(period ? { period } : {}) };
    },
    handler: async ({ topic, period }, ctx) => {
      const withinDays = period ? PERIOD_DAYS[period] : undefined;
      const since = withinDays ? deps.clock.now().getTime() - withinDays * DAY_MS : -Infinity;
      const findings = (await ctx.memory.get(MEMORY_TYPE, 500))
        .map(asFinding)
        .filter((f): f is Finding => f !== undefined && Date.parse(f.at) >= since)
        .sort((a, b) => b.at.localeCompare(a.at));
      let found = findings;
      if (topic) {
        const index = new MiniSearch<{ id: number; text: string }>({
          fields: ['text'],
          searchOptions: { prefix: true, fuzzy: 0.2, combineWith: 'OR' },
        });
        index.addAll(findings.map((f, id) => ({ id, text: `${f.question} ${f.question} ${f.answer}` })));
        found = index.search(topic).map((hit) => findings[Number(hit.id)]!);
      }
      const shown = found.slice(0, 3);
      const when = period ? ` from ${period}` : '';
      if (shown.length === 0)
        return {
          text: topic ? `I have no research about "${topic}"${when}.` : `I have no research${when}.`,
          data: [],
        };
      const blocks = shown.map((f) => {
        const sources = f.sources.map((s) => `[${s.n}] ${s.title || s.url} — ${s.url}`).join('\n');
        return `${f.at.slice(0, 10)} — ${f.question}\n${f.answer}\nSources:\n${sources}`;
      });
      return { text: blocks.join('\n\n'), data: shown };
    },
  });
}
