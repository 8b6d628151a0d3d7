import MiniSearch from 'minisearch';

/** A fetched page, numbered as it is cited: [1] is `n = 1`. */
export interface Source {
  n: number;
  url: string;
  title: string;
  text: string;
}

/** A piece of a source: a few sentences of one paragraph, or one sentence. */
export interface Passage {
  id: number;
  source: number;
  text: string;
  score: number;
}

const STOPWORDS = new Set(
  (
    'a an and are as at be been best but by can could did do does for from had has have how i if in into is it ' +
    'its me my of on or our should so than that the their them then there these they this to vs versus was we ' +
    'what when where which who why will with would you your about look research find out tell compare between'
  ).split(' '),
);

const processTerm = (term: string): string | null => {
  const t = term.toLowerCase();
  return t.length < 2 || STOPWORDS.has(t) ? null : t;
};

/** Sentences of a text, paragraph by paragraph; headings and list items stand alone. */
export function sentences(text: string): string[][] {
  return text
    .split(/\n+/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((p) =>
      p
        .split(/(?<=[.!?])\s+(?=["'“([]?[A-Z0-9])/)
        .map((s) => s.trim())
        .filter(Boolean),
    );
}

/** A sentence worth quoting: long enough to say something, short enough to read. */
const quotable = (s: string) => s.length >= 30 && s.length <= 500 && /[a-z]/i.test(s);

function rank(items: { source: number; text: string }[], query: string, limit: number): Passage[] {
  const index = new MiniSearch<{ id: number; source: number; text: string }>({
    fields: ['text'],
    storeFields: ['source', 'text'],
    processTerm,
    searchOptions: { prefix: (t) => t.length > 4, combineWith: 'OR' },
  });
  index.addAll(items.map((it, id) => ({ id, ...it })));
  const seen = new Set<string>();
  const ranked: Passage[] = [];
  for (const hit of index.search(query)) {
    const text = String(hit.text);
    const key = text.toLowerCase().replace(/\W+/g, ' ').trim();
    if (seen.has(key)) continue;
    seen.add(key);
    ranked.push({ id: Number(hit.id), source: Number(hit.source), text, score: hit.score });
    if (ranked.length >= limit) break;
  }
  return ranked;
}

/** The passages (up to three sentences of one paragraph) that best answer `query`, by BM25. */
export function topPassages(sources: Source[], query: string, limit = 8): Passage[] {
  const items: { source: number; text: string }[] = [];
  for (const s of sources)
    for (const paragraph of sentences(s.text))
      for (let i = 0; i < paragraph.length; i += 3)
        items.push({ source: s.n, text: paragraph.slice(i, i + 3).join(' ') });
  return rank(items, query, limit);
}

/** The single sentences that best answer `query`, by BM25: the extractive answer. */
export function topSentences(sources: Source[], query: string, limit = 4): Passage[] {
  const items: { source: number; text: string }[] = [];
  for (const s of sources)
    for (const paragraph of sentences(s.text))
      for (const sentence of paragraph) if (quotable(sentence)) items.push({ source: s.n, text: sentence });
  return rank(items, query, limit);
}

/**
 * The words that say what a text is about (most frequent, stopwords aside): the query of an
 * extractive summary when there is no question.
 */
export function keywords(text: string, limit = 8): string {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[a-z][a-z0-9-]{2,}/g) ?? []) {
    if (STOPWORDS.has(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([w]) => w)
    .join(' ');
}
