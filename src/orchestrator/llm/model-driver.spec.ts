import { describe, expect, it } from '@jest/globals';
import { retryAfterMs } from './model-driver.js';

describe("a provider's Retry-After", () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it('is read in seconds, or as an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Tue, 01 Dec 2026 12:00:05 GMT' }), now)).toBe(5000);
  });

  it('prefers the finer retry-after-ms when both are given', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3', 'retry-after-ms': '250' }), now)).toBe(250);
  });

  it('is absent when missing or unreadable', () => {
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
