import { describe, expect, it } from '@jest/globals';
import { FixedClock } from '../../common/clock.js';
import { MemoryKeyValueStore } from './memory-key-value-store.js';

// The behaviours both stores share are in test/integration/key-value-store.test.ts; these are the
// memory store's own: time read from the injected clock to the millisecond, and its bound.
describe('memory KeyValueStore on its clock', () => {
  it('keeps a value until the last millisecond of its time to live', async () => {
    const clock = new FixedClock('2026-05-01T09:00:00Z');
    const store = new MemoryKeyValueStore(clock);
    await store.set('k', 'v', 1000);
    clock.advance(999);
    expect(await store.get('k')).toBe('v');
    clock.advance(1);
    expect(await store.get('k')).toBeUndefined();
  });

  it('reports the time left in a counter window by its clock', async () => {
    const clock = new FixedClock('2026-05-01T09:00:00Z');
    const store = new MemoryKeyValueStore(clock);
    await store.increment('hits', 60_000);
    clock.advance(45_000);
    expect(await store.increment('hits', 60_000)).toEqual({ count: 2, ttlMs: 15_000 });
  });

  it('at its bound drops expired entries first, then the oldest', async () => {
    const clock = new FixedClock('2026-05-01T09:00:00Z');
    const store = new MemoryKeyValueStore(clock, 10);
    await store.set('short', 'v', 1000);
    for (let i = 0; i < 9; i++) await store.set(`k${i}`, 'v', 60_000);
    clock.advance(1000);
    await store.set('k9', 'v', 60_000);
    expect(await store.get('k0')).toBe('v');
    await store.set('k10', 'v', 60_000);
    expect(await store.get('k0')).toBeUndefined();
    expect(await store.get('k1')).toBe('v');
    expect(await store.get('k10')).toBe('v');
  });
});
