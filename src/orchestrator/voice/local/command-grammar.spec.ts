import { buildGrammar, factored, grammarWords, spokenWords } from './command-grammar.js';

const source = {
  phrases: [
    'list my clients',
    'list my invoices',
    'invoice Acme for 10 hours at 150',
    'void INV-2026-0004',
    'grant #1 stripe',
  ],
  names: ['Northwind Traders'],
};

describe('command grammar', () => {
  it('shares the beginnings of sentences, so the decoder follows one path per prefix', () => {
    expect(factored(['list my clients', 'list my invoices', 'list agents'])).toBe(
      'list (my (clients | invoices) | agents)',
    );
    expect(factored(['rollback', 'roll back the last change', 'roll back'])).toBe(
      '(rollback | roll back [the last change])',
    );
  });

  it('turns names, numbers and references in examples into slots that any live name or number fills', () => {
    const jsgf = buildGrammar(source);
    expect(jsgf).toContain('invoice <name> for <number> hours at <number>');
    expect(jsgf).toContain('void <reference>');
    expect(jsgf).toContain('grant [agent | number] <number> stripe');
    expect(jsgf).toMatch(/<name> = .*\(northwind traders\)/);
    // The example's own name stays sayable before any client exists.
    expect(jsgf).toMatch(/<name> = .*\(acme\)/);
  });

  it('leaves out a sentence or a name with a word that has no pronunciation', () => {
    const jsgf = buildGrammar(source, (w) => w !== 'traders' && w !== 'invoices');
    expect(jsgf).not.toContain('northwind traders');
    expect(jsgf).not.toContain('invoices');
    expect(jsgf).toContain('clients');
  });

  it('lists every word the grammar can produce', () => {
    const words = grammarWords(source);
    for (const w of ['list', 'clients', 'northwind', 'traders', 'acme', 'hundred', 'stripe'])
      expect(words).toContain(w);
  });

  it('says names and identifiers the way a person would', () => {
    expect(spokenWords('Mobile App 2')).toEqual(['mobile', 'app', 'two']);
    expect(spokenWords("O'Brien & Sons")).toEqual(["o'brien", 'sons']);
  });
});
