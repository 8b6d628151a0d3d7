import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { answer } from '../turn.context.js';
import { fakeTurn } from '../turn-context.fake.js';
import { OutStep } from './out.step.js';

Logger.overrideLogger(false);

describe('OutStep', () => {
  const step = new OutStep();

  it('sends the one reply the later steps decided on, after they ran', async () => {
    const t = fakeTurn();
    await step.run(t.ctx, async () => {
      expect(t.sent).toEqual([]);
      answer(t.ctx, { text: 'done' });
    });
    expect(t.sent).toEqual([{ text: 'done' }]);
    expect(t.ctx.outcome).toBe('answered');
  });

  it('sends nothing when no step answered (a refused message past the first)', async () => {
    const t = fakeTurn();
    await step.run(t.ctx, async () => void (t.ctx.outcome = 'rate_limited'));
    expect(t.sent).toEqual([]);
    expect(t.ctx.outcome).toBe('rate_limited');
  });

  it('answers a failure with a reference instead of throwing at the adapter', async () => {
    const t = fakeTurn();
    await step.run(t.ctx, async () => {
      throw new Error('database went away');
    });
    expect(t.ctx.outcome).toBe('failed');
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]!.text).toMatch(/^Something went wrong on my side \(ref [0-9a-f]{8}\); nothing was lost/);
    expect(t.sent[0]!.text).not.toContain('database');
  });

  it('reports a turn whose reply could not be sent as failed', async () => {
    const t = fakeTurn();
    let attempts = 0;
    const ctx = {
      ...t.ctx,
      outlet: {
        reply: async () => {
          attempts++;
          throw new Error('platform refused');
        },
      },
    };
    await step.run(ctx, async () => answer(ctx, { text: 'done' }));
    expect(ctx.outcome).toBe('failed');
    expect(attempts).toBe(2);
  });
});
