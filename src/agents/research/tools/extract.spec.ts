import { describe, expect, it } from '@jest/globals';
import { readComparison } from './compare.tool.js';
import { periodIn, topicIn } from './recall.tool.js';
import { questionIn, urlsIn } from './research.tool.js';

describe('what a research request says', () => {
  it.each([
    ['research the best CRM for freelancers', 'the best CRM for freelancers'],
    ['look into heat pumps versus gas boilers?', 'heat pumps versus gas boilers'],
    ['please find out about solar panels', 'solar panels'],
    [
      'research how backups work using https://a.test/x and https://b.test/y and write a pdf report',
      'how backups work',
    ],
  ])('%s -> %s', (said, question) => {
    expect(questionIn(said)).toBe(question);
  });

  it('finds the URLs given, without trailing punctuation', () => {
    expect(urlsIn('read https://a.test/x, then (https://b.test/y).', [])).toEqual([
      'https://a.test/x',
      'https://b.test/y',
    ]);
  });

  it.each([
    ['compare Notion and Obsidian', { options: ['Notion', 'Obsidian'] }],
    [
      'compare Hetzner, DigitalOcean and Linode by price and support',
      { options: ['Hetzner', 'DigitalOcean', 'Linode'], criteria: ['price', 'support'] },
    ],
    [
      'Notion vs Obsidian for price and offline use',
      { options: ['Notion', 'Obsidian'], criteria: ['price', 'offline use'] },
    ],
    ['which is better, Stripe or Paddle?', { options: ['Stripe', 'Paddle'] }],
    ['compare prices', {}],
  ])('%s', (said, expected) => {
    expect(readComparison(said)).toEqual(expected);
  });

  it('reads the topic and the period of a recall', () => {
    expect(topicIn('what did you find about CRMs last week?')).toBe('CRMs');
    expect(periodIn('what did you find about CRMs last week?')).toBe('last week');
    expect(periodIn('show my past research')).toBeUndefined();
  });
});
