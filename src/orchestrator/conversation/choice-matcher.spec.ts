import { describe, expect, it } from '@jest/globals';
import type { RouteChoice } from '../router/route-decision.js';
import { matchChoice } from './choice-matcher.js';

const choice = (tool: string, description: string): RouteChoice => ({
  agentNumber: 15,
  agentName: 'invoicing',
  tool,
  description,
  score: 0,
});

const CHOICES = [
  choice('add_client', 'Add a client to bill'),
  choice('list_clients', 'List your clients'),
  choice('create_invoice', 'Create an invoice for a client'),
];

describe('matchChoice', () => {
  it.each([
    ['1', 0],
    ['2.', 1],
    ['3)', 2],
    ['option 2', 1],
    ['one', 0],
    ['two', 1],
    ['the first one', 0],
    ['The second', 1],
    ['the third one please', 2],
    ['the last one', 2],
    ['add client', 0],
    ['add_client', 0],
    ['#15 add_client', 0],
    ['the invoice one', 2],
    ['list clients', 1],
  ])('%p picks choice %p', (reply, index) => {
    expect(matchChoice(reply, CHOICES)).toBe(index);
  });

  it.each([
    ['4'],
    ['0'],
    ['add a client Globex'],
    ['invoice Acme for 10 hours at 150'],
    ['yes'],
    // both add_client and list_clients are about clients
    ['client'],
    ['what did we make this month'],
    ['#91 add'],
    [''],
  ])('%p is no choice (a new request)', (reply) => {
    expect(matchChoice(reply, CHOICES)).toBeUndefined();
  });
});
