import { describe, expect, it } from '@jest/globals';
import { fakeTurn } from './turn-context.fake.js';
import { compose, type TurnStep } from './turn.context.js';

const step = (name: string, log: string[], handOn = true): TurnStep => ({
  run: async (_ctx, next) => {
    log.push(`${name} in`);
    if (handOn) await next();
    log.push(`${name} out`);
  },
});

describe('compose', () => {
  it('runs each step around the rest, in order', async () => {
    const log: string[] = [];
    await compose([step('a', log), step('b', log), step('c', log)])(fakeTurn().ctx);
    expect(log).toEqual(['a in', 'b in', 'c in', 'c out', 'b out', 'a out']);
  });

  it('stops at a step that answers without handing on', async () => {
    const log: string[] = [];
    await compose([step('a', log), step('b', log, false), step('c', log)])(fakeTurn().ctx);
    expect(log).toEqual(['a in', 'b in', 'b out', 'a out']);
  });

  it('refuses a step that hands on twice, so the rest never runs twice', async () => {
    const twice: TurnStep = {
      run: async (_ctx, next) => {
        await next();
        await next();
      },
    };
    let ran = 0;
    const counted: TurnStep = { run: async () => void ran++ };
    await expect(compose([twice, counted])(fakeTurn().ctx)).rejects.toThrow(/next twice/);
    expect(ran).toBe(1);
  });
});
