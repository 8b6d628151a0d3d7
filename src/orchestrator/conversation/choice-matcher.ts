import type { RouteChoice } from '../router/route-decision.js';

/** What a pressed choice button says: `/choose <clarification id> <number>`. */
export const CHOICE_COMMAND = /^\/choose\s+([A-Za-z0-9_-]{4,64})\s+(\d{1,2})\s*$/;

export const choiceCommand = (pendingId: string, n: number): string => `/choose ${pendingId} ${n}`;

const ORDINALS: Record<string, number> = {
  first: 1,
  '1st': 1,
  one: 1,
  second: 2,
  '2nd': 2,
  two: 2,
  third: 3,
  '3rd': 3,
  three: 3,
  fourth: 4,
  '4th': 4,
  four: 4,
  fifth: 5,
  '5th': 5,
  five: 5,
};

/** Words that carry no choice: "the first one please", "I meant the invoice one". */
const FILLER = new Set(
  'the a an one please pls i mean meant want wanted that this it option choice number no nr do did you yes yeah ok okay go with take pick use choose run for me to of'.split(
    ' ',
  ),
);

const words = (s: string): string[] =>
  s
    .toLowerCase()
    .replace(/[_/]/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** "invoices" and "invoice", "clients" and "client" are the same word here. */
const stem = (w: string): string => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);

/**
 * Which of the offered choices a reply picks, as a 0-based index, or undefined when the reply is not
 * a choice (then it is a new request). A choice is a number ("1", "2."), an ordinal ("the second",
 * "the last one"), the address of a choice ("#15 add_client"), or the words of one tool ("add client",
 * "the invoice one") when those words fit one choice better than any other and nothing else was said.
 */
export function matchChoice(reply: string, choices: readonly RouteChoice[]): number | undefined {
  const text = reply.trim().replace(/[.!?]+$/, '');
  if (!text || choices.length === 0 || text.length > 80) return undefined;
  const inRange = (n: number) => (n >= 1 && n <= choices.length ? n - 1 : undefined);

  const number = /^(?:(?:option|choice|number|no\.?|nr\.?)\s*)?(\d{1,2})[.)]?$/i.exec(text);
  if (number) return inRange(Number(number[1]));

  const address = /^#(\d{1,3})\s+([a-z][\w-]*)$/i.exec(text);
  if (address) {
    const i = choices.findIndex(
      (c) => c.agentNumber === Number(address[1]) && c.tool.toLowerCase() === address[2]!.toLowerCase(),
    );
    return i >= 0 ? i : undefined;
  }

  const said = words(text);
  const content = said.filter((w) => !FILLER.has(w)).map(stem);
  if (content.length === 0) {
    // "the first one", "the second": only filler and an ordinal ("one" alone is a number word).
    const ordinal = said.filter((w) => ORDINALS[w] !== undefined && w !== 'one');
    if (ordinal.length === 1) return inRange(ORDINALS[ordinal[0]!]!);
    if (said.length === 1 && said[0] === 'one') return 0;
    return undefined;
  }
  if (content.length === 1 && content[0] === 'last') return choices.length - 1;
  if (content.length === 1 && ORDINALS[content[0]!] !== undefined) return inRange(ORDINALS[content[0]!]!);

  // Tool words: every word said must belong to the choice; words of the tool's name weigh more
  // than words of its description, so "client" picks add_client over "Create an invoice for a client".
  const scored = choices.map((c, i) => {
    const name = new Set(words(c.tool).map(stem));
    const described = new Set([...words(c.description), ...words(c.agentName)].map(stem));
    let score = 0;
    for (const w of content) {
      if (name.has(w)) score += 2;
      else if (described.has(w)) score += 1;
      else return { i, score: -1 };
    }
    return { i, score };
  });
  const fitting = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score);
  if (fitting.length === 0) return undefined;
  if (fitting.length > 1 && fitting[1]!.score === fitting[0]!.score) return undefined;
  return fitting[0]!.i;
}
