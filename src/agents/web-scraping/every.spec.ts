import { describe, expect, it } from '@jest/globals';
import { parseEvery } from './every.js';

describe('parseEvery', () => {
  it.each([
    [undefined, 'every hour', '0 * * * *'],
    ['every hour', 'every hour', '0 * * * *'],
    ['hourly', 'every hour', '0 * * * *'],
    ['every 30 minutes', 'every 30 minutes', '*/30 * * * *'],
    ['every 90 minutes', 'every 2 hours', '0 */2 * * *'],
    ['every 6 hours', 'every 6 hours', '0 */6 * * *'],
    ['daily', 'every day', '0 8 * * *'],
    ['every 2 days', 'every 2 days', '0 8 */2 * *'],
    ['weekly', 'every week', '0 8 * * 1'],
  ])('reads %s as %s (%s)', (said, text, cron) => {
    expect(parseEvery(said)).toEqual({ text, cron });
  });

  it('refuses checking more often than every 5 minutes, and what it cannot read', () => {
    expect(() => parseEvery('every 1 minute')).toThrow('I check a page at most every 5 minutes');
    expect(() => parseEvery('whenever')).toThrow(/^I cannot read "whenever" as how often/);
  });
});
