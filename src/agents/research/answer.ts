import type { Complete } from './research-llm.js';
import { topPassages, topSentences, type Passage, type Source } from './passages.js';

/** An answer whose every sentence names the source(s) it comes from as [n]. */
export interface CitedAnswer {
  text: string;
  /** Numbers of the sources the answer cites. */
  cited: number[];
  /** Written by a model from the passages, or quoted from them. */
  method: 'synthesis' | 'extractive';
}

const CITATION = /\[(\d+)\]/g;

const citedIn = (text: string): number[] =>
  [...new Set([...text.matchAll(CITATION)].map((m) => Number(m[1])))].sort((a, b) => a - b);

/** The best sentences of the sources for `question`, each followed by its source's number. */
export function extractiveAnswer(sources: Source[], question: string, limit = 4): CitedAnswer | undefined {
  const best = topSentences(sources, question, limit);
  if (best.length === 0) return undefined;
  const text = best.map((s) => `${s.text} [${s.source}]`).join(' ');
  return { text, cited: citedIn(text), method: 'extractive' };
}

/**
 * Keeps what a model wrote only where it is traceable: sentences without a citation of a source
 * that was fetched are dropped, and citations of sources that do not exist are removed.
 */
export function keepCited(text: string, known: Set<number>): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split(/(?<=[.!?](?:\s*\[\d+\])*)\s+(?=[^\s[])/);
    const kept = parts
      .map((part) => part.replace(CITATION, (m: string, n: string) => (known.has(Number(n)) ? m : '')).trim())
      .filter((part) => citedIn(part).length > 0);
    if (kept.length) lines.push(kept.join(' '));
  }
  return lines.join('\n').trim();
}

const passageBlock = (passages: Passage[]) => passages.map((p) => `[${p.source}] ${p.text}`).join('\n\n');

const SYSTEM = [
  'You answer research questions from the numbered passages you are given, and from nothing else.',
  'Cite every sentence with the number of the passage it rests on, like [1] or [2][3].',
  'If the passages do not answer the question, say so in one cited sentence. Be concise: at most 8 sentences.',
].join(' ');

/** A model's answer from the top passages, cut down to its cited sentences. */
export async function synthesizedAnswer(
  complete: Complete,
  sources: Source[],
  question: string,
  signal?: AbortSignal,
): Promise<CitedAnswer | undefined> {
  const passages = topPassages(sources, question, 8);
  if (passages.length === 0) return undefined;
  const written = await complete(SYSTEM, `Question: ${question}\n\nPassages:\n${passageBlock(passages)}`, signal);
  const text = keepCited(written, new Set(sources.map((s) => s.n)));
  return text ? { text, cited: citedIn(text), method: 'synthesis' } : undefined;
}

/**
 * With a model: synthesis, falling back to quotes when it cites nothing or fails (`modelFailed`
 * then says why, for the notes); without one: quotes.
 */
export async function citedAnswer(
  complete: Complete | undefined,
  sources: Source[],
  question: string,
  signal?: AbortSignal,
): Promise<(CitedAnswer & { modelFailed?: string }) | undefined> {
  let modelFailed: string | undefined;
  if (complete) {
    try {
      const written = await synthesizedAnswer(complete, sources, question, signal);
      if (written) return written;
      modelFailed = 'the model cited none of the pages, so the answer quotes them instead';
    } catch (err) {
      if (signal?.aborted) throw err;
      modelFailed = `the model failed (${(err as Error).name}), so the answer quotes the pages instead`;
    }
  }
  const quoted = extractiveAnswer(sources, question);
  return quoted && { ...quoted, modelFailed };
}

/** "[1] Title — https://..." lines for the sources an answer stands on. */
export function sourceList(sources: Source[]): string {
  return sources.map((s) => `[${s.n}] ${s.title || s.url} — ${s.url}`).join('\n');
}
