import { describe, expect, it } from '@jest/globals';
import { fakeTurn } from '../turn-context.fake.js';
import { DedupeStep } from './dedupe.step.js';

describe('DedupeStep', () => {
  const seen = new Set<string>();
  const step = new DedupeStep({
    claim: async (platform, id) => !seen.has(`${platform}:${id}`) && !!seen.add(`${platform}:${id}`),
  });

  it('hands the first delivery of an event on', async () => {
    const t = fakeTurn({ eventId: 'u-1' });
    await step.run(t.ctx, t.next);
    expect(t.nextCalls()).toBe(1);
    expect(t.ctx.outcome).toBe('answered');
  });

  it('drops a repeated delivery without answering it', async () => {
    const again = fakeTurn({ eventId: 'u-1' });
    await step.run(again.ctx, again.next);
    expect(again.nextCalls()).toBe(0);
    expect(again.ctx.outcome).toBe('duplicate');
    expect(again.ctx.reply).toBeUndefined();
  });

  it('tells the same event id on another platform apart', async () => {
    const other = fakeTurn({ eventId: 'u-1', platform: 'slack' });
    await step.run(other.ctx, other.next);
    expect(other.nextCalls()).toBe(1);
  });
});
