import { describe, expect, it } from '@jest/globals';
import { matches, render, triggerSchema } from './workflow-definition.js';

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

describe('money in workflow conditions (events carry amounts as decimal text)', () => {
  // What #1 emits for a completed milestone: the amount as text from minor units.
  const payload = { amount: '500.00', big: '9007199254740993.01', tiny: '0.30' };
  it.each([
    // The README's example: a number bound against a decimal string.
    [{ amount: { gte: 100 } }, true],
    [{ amount: { gte: '100.00' } }, true],
    [{ amount: { gt: 500 } }, false],
    [{ amount: { gte: 500 } }, true],
    [{ amount: { gte: '500.01' } }, false],
    [{ amount: { lt: '500.001' } }, true],
    [{ amount: { lte: 499.99 } }, false],
    [{ amount: 500 }, true],
    [{ amount: { eq: 500 } }, true],
    [{ amount: { in: [250, 500] } }, true],
    [{ amount: { ne: 500 } }, false],
    // Exact: a float would call these equal.
    [{ big: { gt: '9007199254740993' } }, true],
    [{ big: { gt: 9007199254740992 } }, true],
    [{ tiny: { gte: 0.3 } }, true],
    // Not a number: no ordering comparison matches.
    [{ missing: { gte: 0 } }, false],
    [{ missing: { lt: 1 } }, false],
  ])('%j -> %s', (when, expected) => {
    expect(matches(when, payload)).toBe(expected);
  });

  it('refuses a comparison that is not one', () => {
    const bad = triggerSchema.safeParse({ event: 'x', when: { amount: { gte: 'a lot' } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['when', 'amount', 'gte']);
    expect(triggerSchema.safeParse({ event: 'x', when: { amount: { gte: '100.00' } } }).success).toBe(true);
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
