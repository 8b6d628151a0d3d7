import type { ToolInfo } from '../../registry/agent-spec.js';
import type { IntentScore } from '../intent-classifier.js';

/** Tools offered to the model at most: a small prompt costs little and confuses the model less. */
export const MAX_LLM_CANDIDATES = 8;

const words = (s: string) => new Set(s.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []);

/**
 * The catalog as the model sees it: the local router's best candidates, never a sensitive tool (the
 * vault is routed locally only). Tools the local model scored come first, by score; the rest of the
 * places go to tools sharing words with the message (name, description, examples).
 */
export function pruneCatalog(
  catalog: ToolInfo[],
  scores: IntentScore[],
  text: string,
  max = MAX_LLM_CANDIDATES,
): ToolInfo[] {
  const offered = catalog.filter((t) => !t.sensitive);
  const key = (t: { agentNumber: number; name?: string; tool?: string }) => `${t.agentNumber}:${t.name ?? t.tool}`;
  const rank = new Map(scores.map((s, i) => [key(s), i]));
  const said = words(text);
  const overlap = (t: ToolInfo) => {
    const own = words(`${t.name.replace(/_/g, ' ')} ${t.description} ${t.examples.join(' ')}`);
    let n = 0;
    for (const w of said) if (own.has(w)) n++;
    return n;
  };
  return offered
    .map((t) => ({ t, rank: rank.get(key(t)) ?? Infinity, overlap: overlap(t) }))
    .sort((a, b) => a.rank - b.rank || b.overlap - a.overlap)
    .slice(0, max)
    .map((c) => c.t);
}
