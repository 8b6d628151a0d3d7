import { describe, expect, it } from '@jest/globals';
import { lineDiff } from './diff.js';

describe('lineDiff', () => {
  it('shows what went and what came, with a line of context and gaps marked', () => {
    const before = ['Pricing', 'Basic €10', 'a', 'b', 'c', 'd', 'Pro €20', 'end'].join('\n');
    const after = ['Pricing', 'Basic €12', 'a', 'b', 'c', 'd', 'Pro €20', 'Team €50', 'end'].join('\n');
    expect(lineDiff(before, after)).toBe(
      ['  Pricing', '- Basic €10', '+ Basic €12', '  a', '…', '  Pro €20', '+ Team €50', '  end'].join('\n'),
    );
  });

  it('keeps a long diff short', () => {
    const after = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const diff = lineDiff('', after, 10).split('\n');
    expect(diff).toHaveLength(11);
    expect(diff.at(-1)).toBe('… and 41 more lines');
  });
});
