import { describe, expect, it } from '@jest/globals';
import { FixedClock } from '../../common/clock.js';
import { ChatProgress } from './chat-progress.js';

describe('ChatProgress', () => {
  it('sends the first message at once, drops what comes within the gap, and stops at the cap', async () => {
    const clock = new FixedClock('2026-12-01T10:00:00Z');
    const sent: string[] = [];
    const progress = new ChatProgress(async (t) => void sent.push(t), clock, 2000, 2);
    progress.say('searching…');
    progress.say('reading 6 sources…');
    clock.advance(2000);
    progress.say('reading 6 sources…');
    clock.advance(5000);
    progress.say('writing the answer…');
    await progress.settle();
    expect(sent).toEqual(['searching…', 'reading 6 sources…']);
  });

  it('keeps the order and survives a send that fails', async () => {
    const clock = new FixedClock('2026-12-01T10:00:00Z');
    const sent: string[] = [];
    let calls = 0;
    const progress = new ChatProgress(
      async (t) => {
        calls += 1;
        if (calls === 1) throw new Error('the platform refused');
        sent.push(t);
      },
      clock,
      0,
    );
    progress.say('one');
    progress.say('two');
    progress.say('  ');
    await progress.settle();
    expect(sent).toEqual(['two']);
  });
});
