import { describe, expect, it } from '@jest/globals';
import { matches, render } from './workflow-definition.js';

describe('workflow conditions', () => {
  const payload = { amount: 1500, client: { name: 'Acme' }, tags: ['web'] };
  it.each([
    [{ amount: 1500 }, true],
    [{ amount: 1499 }, false],
    [{ 'client.name': 'Acme' }, true],
    [{ 'payload.client.name': 'Globex' }, false],
    [{ amount: { gte: 1000, lt: 2000 } }, true],
    [{ amount: { gt: 1500 } }, false],
    [{ 'client.name': { in: ['Acme', 'Initech'] } }, true],
    [{ discount: { exists: false } }, true],
    [{ discount: { exists: true } }, false],
    [{ tags: ['web'] }, true],
    [undefined, true],
  ])('%j -> %s', (when, expected) => {
    expect(matches(when, payload)).toBe(expected);
  });
});

describe('workflow parameter templates', () => {
  const event = { name: 'milestone.completed', payload: { clientId: 'c-1', amount: 1500, project: { name: 'Site' } } };
  it('keeps the type of whole-string templates and interpolates inside text', () => {
    expect(
      render(
        {
          clientId: '{{payload.clientId}}',
          amount: '{{ payload.amount }}',
          note: 'Milestone of {{payload.project.name}} ({{name}})',
          draft: true,
          lines: ['{{payload.amount}}'],
        },
        event,
      ),
    ).toEqual({
      clientId: 'c-1',
      amount: 1500,
      note: 'Milestone of Site (milestone.completed)',
      draft: true,
      lines: [1500],
    });
  });
  it('leaves missing values out of text and undefined as values', () => {
    expect(render({ a: '{{payload.nope}}', b: 'x{{payload.nope}}y' }, event)).toEqual({ a: undefined, b: 'xy' });
  });
});
