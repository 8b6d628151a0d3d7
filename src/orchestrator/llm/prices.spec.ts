import { describe, expect, it } from '@jest/globals';
import { costUsd, priceOf } from './prices.js';

describe('model prices', () => {
  it('prices a dated model name by its longest listed prefix', () => {
    expect(priceOf('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf('gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    expect(priceOf('claude-3-5-haiku-latest')).toEqual({ input: 0.8, output: 4 });
  });

  it('charges input and output tokens at their own rates', () => {
    expect(costUsd('openai', 'gpt-4o-mini', 1_000_000, 1_000_000)).toBeCloseTo(0.75, 10);
    expect(costUsd('anthropic', 'claude-sonnet-4-5-20250929', 2000, 1000)).toBeCloseTo(0.021, 10);
  });

  it('costs nothing for an unknown model or a local server, whatever its model is called', () => {
    expect(costUsd('openai', 'llama3.1:8b', 5000, 5000)).toBe(0);
    expect(costUsd('openai-compatible', 'gpt-4o', 5000, 5000)).toBe(0);
    expect(priceOf('gpt-4oops')).toBeUndefined();
  });
});
