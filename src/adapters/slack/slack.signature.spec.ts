import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { FixedClock } from '../../common/clock.js';
import { verifySlackSignature } from './slack.signature.js';

const SECRET = 'slack-signing-secret';
const BODY = '{"type":"event_callback","event_id":"Ev1"}';
const clock = new FixedClock('2026-03-02T10:00:00Z');
const now = () => Math.floor(clock.now().getTime() / 1000);

function signed(timestamp: number, body = BODY, secret = SECRET) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { signingSecret: SECRET, body: BODY, signature, timestamp: String(timestamp), nowMs: clock.now().getTime() };
}

describe('verifySlackSignature', () => {
  it('accepts a request signed now, or within five minutes either way', () => {
    expect(verifySlackSignature(signed(now()))).toBeNull();
    expect(verifySlackSignature(signed(now() - 299))).toBeNull();
    expect(verifySlackSignature(signed(now() + 299))).toBeNull();
  });

  it('refuses a request stamped more than five minutes ago or ahead, even when correctly signed', () => {
    expect(verifySlackSignature(signed(now() - 301))).toBe('stale');
    expect(verifySlackSignature(signed(now() + 301))).toBe('from_the_future');
    expect(verifySlackSignature(signed(now() + 86_400))).toBe('from_the_future');
  });

  it('refuses a wrong secret, another body, a missing or malformed header', () => {
    expect(verifySlackSignature(signed(now(), BODY, 'other-secret'))).toBe('bad_signature');
    expect(verifySlackSignature(signed(now(), `${BODY} `))).toBe('bad_signature');
    expect(verifySlackSignature({ ...signed(now()), signature: undefined })).toBe('bad_signature');
    expect(verifySlackSignature({ ...signed(now()), signature: 'v1=abc' })).toBe('bad_signature');
    expect(verifySlackSignature({ ...signed(now()), timestamp: 'soon' })).toBe('bad_timestamp');
    expect(verifySlackSignature({ ...signed(now()), signingSecret: '' })).toBe('no_secret');
  });

  it('follows the clock it is given', () => {
    const request = signed(now());
    clock.advance(6 * 60 * 1000);
    expect(verifySlackSignature({ ...request, nowMs: clock.now().getTime() })).toBe('stale');
  });
});
