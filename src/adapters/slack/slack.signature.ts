import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a request stamped further from now than this, either way, is refused. */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

export type SlackSignatureFailure = 'no_secret' | 'bad_timestamp' | 'stale' | 'from_the_future' | 'bad_signature';

/**
 * Checks a Slack request's `x-slack-signature` (v0 HMAC-SHA256 of `v0:timestamp:body`) over the exact
 * bytes received, and that its timestamp lies within five minutes of `nowMs`, in the past or in the
 * future (a request stamped ahead could be replayed until that moment has passed). Pure: the clock
 * is the caller's. Returns null when valid, else why not (never the secret or the expected value).
 */
export function verifySlackSignature(input: {
  signingSecret: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
}): SlackSignatureFailure | null {
  if (!input.signingSecret) return 'no_secret';
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) return 'bad_timestamp';
  const stamped = Number(input.timestamp);
  const now = Math.floor(input.nowMs / 1000);
  if (stamped < now - SLACK_MAX_SKEW_SECONDS) return 'stale';
  if (stamped > now + SLACK_MAX_SKEW_SECONDS) return 'from_the_future';
  const match = /^v0=([0-9a-f]{64})$/.exec(input.signature ?? '');
  if (!match) return 'bad_signature';
  const expected = createHmac('sha256', input.signingSecret).update(`v0:${input.timestamp}:${input.body}`).digest();
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected) ? null : 'bad_signature';
}
