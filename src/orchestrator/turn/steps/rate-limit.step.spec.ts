import { describe, expect, it } from '@jest/globals';
import { fakeTurn } from '../turn-context.fake.js';
import { RateLimitStep } from './rate-limit.step.js';

describe('RateLimitStep', () => {
  const decisions = [
    { allowed: true, retryAfterSeconds: 0, firstRefusal: false },
    { allowed: false, retryAfterSeconds: 42, firstRefusal: true },
    { allowed: false, retryAfterSeconds: 41, firstRefusal: false },
  ];
  const hits: string[] = [];
  const step = new RateLimitStep({ hit: async (userId) => (hits.push(userId), decisions.shift()!) }, {
    chat: { rateLimitPerMinute: 5 },
  } as never);

  it('counts the message against its sender and hands on within the limit', async () => {
    const t = fakeTurn();
    await step.run(t.ctx, t.next);
    expect(hits).toEqual(['user-1']);
    expect(t.nextCalls()).toBe(1);
  });

  it('says once, privately, when it listens again; later refusals go unanswered', async () => {
    const first = fakeTurn();
    await step.run(first.ctx, first.next);
    expect(first.nextCalls()).toBe(0);
    expect(first.ctx.outcome).toBe('rate_limited');
    expect(first.ctx.reply).toEqual({
      ephemeral: true,
      text: "That's more than 5 messages a minute; I'll listen again in 42 s.",
    });

    const second = fakeTurn();
    await step.run(second.ctx, second.next);
    expect(second.nextCalls()).toBe(0);
    expect(second.ctx.outcome).toBe('rate_limited');
    expect(second.ctx.reply).toBeUndefined();
  });
});
