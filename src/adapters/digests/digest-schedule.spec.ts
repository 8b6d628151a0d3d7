import { describe, expect, it } from '@jest/globals';
import { parseDigestCommand } from './digest-schedule.js';

describe('digest commands said in chat', () => {
  it.each([
    ['send me a digest every weekday at 8:00 in this channel', '0 8 * * 1-5', 'every weekday at 08:00'],
    ['digest every monday and thursday at 7:30am', '30 7 * * 1,4', 'every Monday, Thursday at 07:30'],
    ['post a digest every day at 6 pm', '0 18 * * *', 'every day at 18:00'],
    ['I want a daily digest at 12am', '0 0 * * *', 'every day at 00:00'],
    ['digest on weekends at 9.15', '15 9 * * 0,6', 'every weekend day at 09:15'],
    ['weekly digest please', '0 8 * * 1', 'every Monday at 08:00'],
    ['every friday send me the digest', '0 8 * * 5', 'every Friday at 08:00'],
  ])('"%s" -> %s', (text, cron, description) => {
    expect(parseDigestCommand(text)).toEqual({ kind: 'subscribe', cron, description });
  });

  it('reads stopping and listing', () => {
    expect(parseDigestCommand('stop my digest')).toEqual({ kind: 'unsubscribe' });
    expect(parseDigestCommand('no more digests please')).toEqual({ kind: 'unsubscribe' });
    expect(parseDigestCommand('which digests do I get?')).toEqual({ kind: 'list' });
  });

  it('leaves requests for the digest itself, and other messages, to the agents', () => {
    expect(parseDigestCommand('daily digest')).toBeNull();
    expect(parseDigestCommand('digest please')).toBeNull();
    expect(parseDigestCommand('invoice Acme every hour')).toBeNull();
  });

  it('refuses impossible times instead of guessing', () => {
    expect(parseDigestCommand('digest every day at 25:00')).toEqual({
      kind: 'subscribe',
      cron: '0 8 * * *',
      description: 'every day at 08:00',
    });
  });
});
