/**
 * Numbers between digits and words: the grammar needs the words a person says ("one hundred fifty"),
 * the router and the tools read digits ("150").
 */

const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = [
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

export const NUMBER_WORDS = [...UNITS, ...TEENS, ...TENS.filter(Boolean), 'hundred', 'thousand', 'and', 'oh'];

function below100(n: number): string {
  if (n < 10) return UNITS[n]!;
  if (n < 20) return TEENS[n - 10]!;
  return n % 10 ? `${TENS[Math.floor(n / 10)]} ${UNITS[n % 10]}` : TENS[n / 10]!;
}

function below1000(n: number): string {
  if (n < 100) return below100(n);
  const rest = n % 100;
  return `${UNITS[Math.floor(n / 100)]} hundred${rest ? ` ${below100(rest)}` : ''}`;
}

/** 150 -> "one hundred fifty", 2026 -> "twenty twenty six", 0007 -> "zero zero zero seven". */
export function numberToWords(digits: string): string {
  if (/^0\d/.test(digits) || digits.length > 6) return [...digits].map((d) => UNITS[Number(d)]).join(' ');
  const n = Number(digits);
  if (n >= 1900 && n < 2100 && n % 100 !== 0 && n !== 2000)
    return `${below100(Math.floor(n / 100))} ${below100(n % 100).replace(/^(\w+)$/, (w) => (n % 100 < 10 ? `oh ${w}` : w))}`;
  if (n < 1000) return below1000(n);
  const rest = n % 1000;
  return `${below1000(Math.floor(n / 1000))} thousand${rest ? ` ${below1000(rest)}` : ''}`;
}

const VALUE = new Map<string, number>([
  ...UNITS.map((w, i) => [w, i] as const),
  ['oh', 0],
  ...TEENS.map((w, i) => [w, i + 10] as const),
  ...TENS.map((w, i) => [w, i * 10] as const).filter(([w]) => w !== ''),
]);

/**
 * Runs of number words back to digits: "ten hours at one hundred fifty" -> "10 hours at 150",
 * "twenty twenty six" -> "2026", "zero zero seven" -> "007". Other words pass through.
 */
export function wordsToNumbers(text: string): string {
  const out: string[] = [];
  const words = text.split(/\s+/).filter(Boolean);
  let i = 0;
  while (i < words.length) {
    let j = i;
    // "and" inside a number ("one hundred and five"), never at its edges.
    const inside = (k: number) =>
      (k > i && /^(hundred|thousand)$/.test(words[k]!)) ||
      (words[k] === 'and' && /^(hundred|thousand)$/.test(words[k - 1] ?? '') && VALUE.has(words[k + 1] ?? ''));
    while (j < words.length && (VALUE.has(words[j]!) || inside(j))) j++;
    if (j === i) {
      out.push(words[i]!);
      i++;
      continue;
    }
    out.push(readRun(words.slice(i, j)));
    i = j;
  }
  return out.join(' ');
}

function readRun(run: string[]): string {
  // A run of single digits is spelled out digit by digit ("zero zero seven", "one two three").
  if (run.length > 1 && run.every((w) => (VALUE.get(w) ?? 10) < 10)) return run.map((w) => VALUE.get(w)).join('');
  const groups: number[] = [];
  let total = 0;
  let current = 0;
  let last: 'unit' | 'tens' | 'teen' | 'scale' | null = null;
  for (const w of run) {
    if (w === 'and') continue;
    if (w === 'hundred') {
      current = (current || 1) * 100;
      last = 'scale';
    } else if (w === 'thousand') {
      total += (current || 1) * 1000;
      current = 0;
      last = 'scale';
    } else {
      const v = VALUE.get(w)!;
      const kind = v < 10 ? 'unit' : v < 20 ? 'teen' : 'tens';
      // "twenty twenty six": a new number starts where the words cannot continue the current one.
      const continues = last === null || last === 'scale' || (last === 'tens' && kind === 'unit');
      if (!continues) {
        groups.push(total + current);
        total = 0;
        current = 0;
      }
      current += v;
      last = kind;
    }
  }
  groups.push(total + current);
  // "twenty twenty six" is a year: 20 and 26 side by side.
  if (groups.length === 2 && groups.every((g) => g >= 10 && g < 100)) return `${groups[0]}${groups[1]}`;
  return groups.join(' ');
}
