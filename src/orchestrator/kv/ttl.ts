/** A time to live as whole milliseconds (Redis takes integers); zero, negative or NaN is a caller's bug. */
export function wholeMs(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`time to live must be positive, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}
