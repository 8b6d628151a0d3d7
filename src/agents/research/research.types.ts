import type { Clock } from '../../common/clock.js';
import type { SearchProviders } from './search-providers.js';

/** What the research tools share. */
export interface ResearchDeps {
  providers: SearchProviders;
  clock: Clock;
}

/** Memory type of every finding, so that `recall` finds research, comparisons and summaries alike. */
export const MEMORY_TYPE = 'research';

/** One finding as kept in agent memory. */
export interface Finding {
  kind: 'research' | 'compare' | 'summary';
  /** The question, the comparison ("Notion vs Obsidian") or the page summarised. */
  question: string;
  answer: string;
  method: 'synthesis' | 'extractive';
  sources: { n: number; title: string; url: string }[];
  /** ISO instant. */
  at: string;
}
