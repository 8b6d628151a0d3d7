import { StemmerEn } from '@nlpjs/lang-en-min';

/**
 * What the local router's own classifier sees in a message: word stems, word pairs and character
 * n-grams. Values that differ in every message (invoice numbers, amounts, agent numbers, URLs, email
 * addresses, long tokens that look like keys) become placeholders, so "void INV-2026-0004" and "void
 * INV-2027-0110" are the same sentence; character n-grams let a typo ("invocie", "pasword") still
 * share most of its features with the word it misspells.
 */
export type FeatureGroups = [words: string[], pairs: string[], grams: string[]];

const stemmer = new StemmerEn();

const PLACEHOLDERS: [RegExp, string][] = [
  [/\bhttps?:\/\/\S+|\bwww\.\S+|\b[a-z0-9-]+\.(?:com|org|net|io|dev|app|be|co|uk|de)\/\S*/gi, ' zurl '],
  [/\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, ' zemail '],
  [/\botpauth:\/\/\S+/gi, ' zsecret '],
  [/\binv[-\s]?\d{2,4}(?:-\d+)?\b/gi, ' zinvoice '],
  [/(?:^|\s)#\d{1,3}\b/g, ' zagent '],
  [/\bagent\s+(?:number\s+)?(?:\d{1,3}|one|eight|fifteen|thirty[-\s]one|thirty[-\s]two)\b/gi, ' agent zagent '],
  [/[$€£¥]\s?\d[\d,.]*k?\b|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?|pounds?|bucks)\b/gi, ' zmoney '],
  [/\b\d[\d,.]*\b/g, ' znum '],
];

/** Lower-cased words with placeholders for the values that vary from message to message. */
export function normalize(text: string): string[] {
  let t = ` ${text.toLowerCase()} `;
  for (const [pattern, token] of PLACEHOLDERS) t = t.replace(pattern, token);
  t = t.replace(/'s\b/g, ' ').replace(/[’']/g, '');
  return t
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean)
    .map((w) => (w.length > 18 && /\d/.test(w) ? 'zsecret' : w));
}

export function features(text: string): FeatureGroups {
  const tokens = normalize(text);
  const stems = tokens.map((w) =>
    w.startsWith('z') && /^z(url|email|secret|invoice|agent|money|num)$/.test(w) ? w : stemmer.stem([w])[0]!,
  );
  const words = [...new Set(stems)];
  const pairs: string[] = [];
  for (let i = 0; i < stems.length; i++) pairs.push(`${i === 0 ? '^' : stems[i - 1]}_${stems[i]}`);
  const grams = new Set<string>();
  for (const w of tokens) {
    if (w.startsWith('z') && stems.includes(w)) continue;
    const padded = `<${w}>`;
    for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= padded.length; i++) grams.add(padded.slice(i, i + n));
  }
  return [words, [...new Set(pairs)], [...grams]];
}
