import { describe, expect, it } from '@jest/globals';
import { secretMatches } from './telegram.controller.js';

describe('Telegram webhook secret', () => {
  it('accepts only the exact secret token', () => {
    expect(secretMatches('s3cret-token', 's3cret-token')).toBe(true);
    expect(secretMatches('s3cret-tokeN', 's3cret-token')).toBe(false);
    expect(secretMatches('s3cret', 's3cret-token')).toBe(false);
    expect(secretMatches(undefined, 's3cret-token')).toBe(false);
    expect(secretMatches('', '')).toBe(false);
  });
});
