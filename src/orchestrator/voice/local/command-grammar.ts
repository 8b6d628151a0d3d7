import { NUMBER_WORDS, numberToWords } from './spoken-numbers.js';

/** What a grammar is made of: the sentences people say, and the names they use in them. */
export interface GrammarSource {
  /** Example utterances of every tool, plus paios' own ("help", "retry voice note"). */
  phrases: string[];
  /** Client, project and agent names: any of them may stand where an example has a name. */
  names: string[];
}

/** Words of paios itself, said around a command. */
const POLITE = ['please', 'paios', 'hey paios', 'thanks', 'now'];

/** Lowercase words a name is said as ("Mobile app" -> "mobile app"; "ACME-2" -> "acme two"). */
export function spokenWords(text: string): string[] {
  return text
    .replace(/(\d)([a-z])|([a-z])(\d)/gi, '$1$3 $2$4')
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((w) => (/^\d+$/.test(w) ? numberToWords(w).split(' ') : [w.replace(/^'+|'+$/g, '')]))
    .filter(Boolean);
}

/**
 * One example utterance as a JSGF expansion: a capitalised word (a name in the example) may be any
 * known name, a number any number, an agent address ("#15") any agent; identifiers, emails and
 * secrets are left out, since nobody says them aloud the same way twice.
 */
function expansion(example: string): string | null {
  const parts: string[] = [];
  const tokens = example
    .replace(/[,.!?:;"()]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  for (const [i, raw] of tokens.entries()) {
    if (/^#\d+$/.test(raw)) parts.push('[agent | number] <number>');
    else if (/^\d+$/.test(raw)) parts.push('<number>');
    else if (/^[A-Z]{2,5}-\d/.test(raw)) parts.push('<reference>');
    else if (/[@/_]|\d/.test(raw)) continue;
    else if (/^[A-Z][a-z]/.test(raw) && i > 0 && raw !== 'I') {
      if (parts.at(-1) !== '<name>') parts.push('<name>');
    } else if (/^[a-z'-]+$/i.test(raw)) parts.push(...spokenWords(raw));
  }
  return parts.length ? parts.join(' ') : null;
}

const NUMBER_RULES = [
  '<digit> = zero | one | two | three | four | five | six | seven | eight | nine;',
  '<teen> = ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen | nineteen;',
  '<tens> = twenty | thirty | forty | fifty | sixty | seventy | eighty | ninety;',
  '<n99> = <digit> | <teen> | <tens> [<digit>];',
  '<n999> = <n99> | <digit> hundred [[and] <n99>];',
  // "oh" only inside a year: anywhere else the decoder slips it between words ("ten oh hours").
  '<year> = (nineteen | twenty) (<teen> | <tens> [<digit>] | oh <digit>);',
  '<number> = <n999> [thousand [<n999>]] | <year>;',
  '<reference> = [invoice | number] <number> [<number>];',
];

interface Trie {
  end: boolean;
  next: Map<string, Trie>;
}

/** Splits an expansion into its units: words, `<slots>` and `[optional | groups]`. */
const units = (s: string): string[] => s.match(/\[[^\]]*\]|\S+/g) ?? [];

/**
 * The sentences as one prefix tree ("list (my clients | agents)"): the decoder follows one path per
 * shared beginning instead of one per sentence, which keeps the search small and fast.
 */
export function factored(sentences: string[]): string {
  const root: Trie = { end: false, next: new Map() };
  for (const sentence of sentences) {
    let node = root;
    for (const unit of units(sentence)) {
      let child = node.next.get(unit);
      if (!child) node.next.set(unit, (child = { end: false, next: new Map() }));
      node = child;
    }
    node.end = true;
  }
  const emit = (node: Trie): string => {
    const alternatives = [...node.next].map(([unit, child]) => {
      if (child.next.size === 0) return unit;
      const rest = emit(child);
      return `${unit} ${child.end ? `[${rest}]` : rest}`;
    });
    return alternatives.length > 1 ? `(${alternatives.join(' | ')})` : alternatives[0]!;
  };
  return emit(root);
}

const literal = (s: string) =>
  s
    .replace(/<[a-z0-9]+>|\[|\]|\||\(|\)/g, ' ')
    .split(/\s+/)
    .filter(Boolean);

function parts(source: GrammarSource): { sentences: string[]; names: string[] } {
  const sentences = [...new Set(source.phrases.map(expansion).filter((e): e is string => e !== null))].sort();
  const names = new Set(source.names.map((n) => spokenWords(n).join(' ')).filter(Boolean));
  // Names the examples use (Acme, Website) stay sayable even before any real client exists.
  for (const p of source.phrases)
    for (const m of p.matchAll(/(?<=\s)[A-Z][a-z]+/g)) {
      const name = spokenWords(m[0]).join(' ');
      if (name) names.add(name);
    }
  return { sentences, names: [...names].sort() };
}

/** Every word a grammar of `source` may hold: each needs a pronunciation. */
export function grammarWords(source: GrammarSource): Set<string> {
  const { sentences, names } = parts(source);
  const words = new Set<string>([...NUMBER_WORDS, 'invoice', 'number', 'agent']);
  for (const s of [...sentences, ...names, ...POLITE]) for (const w of literal(s)) words.add(w);
  return words;
}

/**
 * A JSGF grammar of every command sentence, with names and numbers as slots. A sentence or a name
 * with a word that cannot be pronounced is left out.
 */
export function buildGrammar(source: GrammarSource, pronounceable: (word: string) => boolean = () => true): string {
  const ok = (s: string) => literal(s).every(pronounceable);
  const { sentences, names } = parts(source);
  const said = sentences.filter(ok);
  const known = names.filter(ok);
  return [
    '#JSGF V1.0;',
    'grammar paios;',
    'public <utterance> = [hey paios | paios] [please] <command> [please | thanks | now];',
    `<command> = ${said.length ? factored(said) : 'help'};`,
    `<name> = ${known.length ? known.map((n) => `(${n})`).join(' | ') : 'paios'};`,
    ...NUMBER_RULES,
    '',
  ].join('\n');
}
