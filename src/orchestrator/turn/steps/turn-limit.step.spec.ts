import { describe, expect, it } from '@jest/globals';
import { fakeTurn } from '../turn-context.fake.js';
import { TurnLimitStep } from './turn-limit.step.js';

describe('TurnLimitStep', () => {
  it('starts a turn past the limit only when an earlier one has finished', async () => {
    const step = new TurnLimitStep({ chat: { concurrency: 1 } } as never);
    const log: string[] = [];
    let finishFirst!: () => void;
    const first = step.run(fakeTurn().ctx, async () => {
      log.push('first started');
      await new Promise<void>((resolve) => (finishFirst = resolve));
      log.push('first finished');
    });
    const second = step.run(fakeTurn().ctx, async () => void log.push('second started'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['first started']);
    finishFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['first started', 'first finished', 'second started']);
  });
});
