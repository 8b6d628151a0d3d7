import { describe, expect, it } from '@jest/globals';
import { extractiveAnswer, keepCited } from './answer.js';
import { sentences, topPassages } from './passages.js';

const sources = [
  {
    n: 1,
    url: 'https://a.test/crm',
    title: 'CRMs',
    text: 'Intro.\nHubSpot CRM is free for up to two users. It tracks deals and tasks.\nFolk imports contacts from Gmail.',
  },
  { n: 2, url: 'https://b.test/garden', title: 'Garden', text: 'Tomatoes need six hours of sun every single day.' },
];

describe('keepCited', () => {
  it('drops sentences without a citation and citations of sources that were not read', () => {
    expect(keepCited('HubSpot is free [1]. Everyone loves it. Folk is light [2][9].', new Set([1, 2]))).toBe(
      'HubSpot is free [1]. Folk is light [2].',
    );
  });

  it('keeps a sentence cited after its full stop, and lines of a list', () => {
    expect(keepCited('- HubSpot is free. [1]\n- Nobody knows why.\n- Folk is light. [3]', new Set([1, 3]))).toBe(
      '- HubSpot is free. [1]\n- Folk is light. [3]',
    );
  });

  it('leaves nothing when nothing is cited', () => {
    expect(keepCited('It depends. Ask an expert [7].', new Set([1]))).toBe('');
  });
});

describe('extractive answers', () => {
  it('quotes the sentences that share the most words with the question, each with its source', () => {
    const answer = extractiveAnswer(sources, 'is HubSpot CRM free', 1);
    expect(answer).toEqual({
      text: 'HubSpot CRM is free for up to two users. [1]',
      cited: [1],
      method: 'extractive',
    });
  });

  it('has nothing to say when no page shares a word with the question', () => {
    expect(extractiveAnswer(sources, 'quantum chromodynamics')).toBeUndefined();
  });

  it('splits text into paragraphs of sentences and ranks passages by BM25', () => {
    expect(sentences(sources[0]!.text)[1]).toEqual([
      'HubSpot CRM is free for up to two users.',
      'It tracks deals and tasks.',
    ]);
    expect(topPassages(sources, 'tomatoes sun')[0]).toMatchObject({ source: 2 });
  });
});
