import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { VoiceError } from '../speech.port.js';

/** espeak-ng's English phoneme mnemonics -> the ARPAbet phones of the CMU dictionary. */
const ESPEAK_TO_ARPABET: Record<string, string> = {
  a: 'AE',
  aa: 'AA',
  'a#': 'AH',
  'A:': 'AA',
  'A@': 'AA R',
  aI: 'AY',
  'aI@': 'AY ER',
  aU: 'AW',
  'aU@': 'AW ER',
  '@': 'AH',
  '@2': 'AH',
  '@5': 'AH',
  '@L': 'AH L',
  '3': 'ER',
  '3:': 'ER',
  V: 'AH',
  E: 'EH',
  'e@': 'EH R',
  eI: 'EY',
  I: 'IH',
  I2: 'IH',
  'I#': 'IH',
  i: 'IY',
  'i:': 'IY',
  'i@': 'IH R',
  'i@3': 'IH R',
  '0': 'AA',
  'O:': 'AO',
  O: 'AO',
  'O@': 'AO R',
  oU: 'OW',
  OI: 'OY',
  U: 'UH',
  'u:': 'UW',
  'U@': 'UH R',
  b: 'B',
  d: 'D',
  'd#': 'D',
  f: 'F',
  g: 'G',
  h: 'HH',
  j: 'Y',
  k: 'K',
  x: 'K',
  l: 'L',
  m: 'M',
  n: 'N',
  N: 'NG',
  p: 'P',
  r: 'R',
  s: 'S',
  S: 'SH',
  t: 'T',
  t2: 'T',
  '?': 'T',
  T: 'TH',
  D: 'DH',
  v: 'V',
  w: 'W',
  z: 'Z',
  Z: 'ZH',
  tS: 'CH',
  dZ: 'JH',
  C: 'HH',
};

/** espeak-ng's mnemonics (`-x --sep=_`) -> ARPAbet; null when a phone has no counterpart. */
export function espeakToArpabet(mnemonics: string): string | null {
  const phones: string[] = [];
  for (const raw of mnemonics.split(/[_\s]+/)) {
    const p = raw.replace(/[',%=]/g, '');
    if (!p) continue;
    const mapped = ESPEAK_TO_ARPABET[p] ?? ESPEAK_TO_ARPABET[p.replace(/[-/#;]$/, '')];
    if (!mapped) return null;
    phones.push(mapped);
  }
  return phones.length ? phones.join(' ') : null;
}

/**
 * Pronunciations for the words of a grammar: the CMU dictionary of the acoustic model first, then
 * espeak-ng's letter-to-sound rules for the rest (client names, product names). Words neither knows
 * are left out of the grammar.
 */
export class Pronunciations {
  private dictionary?: Promise<Map<string, string[]>>;
  private readonly guessed = new Map<string, string | null>();

  constructor(
    private readonly dictionaryPath: string,
    private readonly espeakPath: string,
  ) {}

  /** Dictionary lines ("word PH ON ES") for `words`, and the words that have no pronunciation. */
  async lines(words: Iterable<string>): Promise<{ lines: string[]; unknown: string[] }> {
    const dict = await this.load();
    const lines: string[] = [];
    const unknown: string[] = [];
    const missing: string[] = [];
    for (const word of new Set(words)) {
      const known = dict.get(word);
      if (known) lines.push(...known.map((p, i) => `${word}${i ? `(${i + 1})` : ''} ${p}`));
      else missing.push(word);
    }
    await this.guess(missing.filter((w) => !this.guessed.has(w)));
    for (const word of missing) {
      const phones = this.guessed.get(word);
      if (phones) lines.push(`${word} ${phones}`);
      else unknown.push(word);
    }
    return { lines, unknown };
  }

  private load(): Promise<Map<string, string[]>> {
    this.dictionary ??= readFile(this.dictionaryPath, 'utf8').then(
      (text) => {
        const map = new Map<string, string[]>();
        for (const line of text.split('\n')) {
          const m = /^(\S+?)(?:\(\d+\))?\s+(.+)$/.exec(line);
          if (!m) continue;
          const list = map.get(m[1]!) ?? [];
          list.push(m[2]!.trim());
          map.set(m[1]!, list);
        }
        return map;
      },
      () => {
        this.dictionary = undefined;
        throw new VoiceError(
          `the speech model is not installed (no dictionary at "${this.dictionaryPath}"): install pocketsphinx-en-us`,
        );
      },
    );
    return this.dictionary;
  }

  /** One espeak-ng run for all the new words, one line each. */
  private async guess(words: string[]): Promise<void> {
    if (words.length === 0) return;
    const out = await new Promise<string>((resolve) => {
      const child = execFile(
        this.espeakPath,
        ['-q', '-x', '--sep=_', '-v', 'en-us'],
        { timeout: 10_000 },
        (err, stdout) => resolve(err ? '' : stdout),
      );
      child.stdin?.end(words.join('\n'));
    });
    const lines = out.split('\n').filter((l) => l.trim());
    words.forEach((w, i) => {
      const line = lines.length === words.length ? lines[i] : undefined;
      this.guessed.set(w, line ? espeakToArpabet(line.trim()) : null);
    });
  }
}
