import { describe, expect, it } from '@jest/globals';
import { parseMarkdown, plainMarkdown, plainText, renderMessages, renderTree } from './markdown.js';

describe('markdown, parsed once', () => {
  it('reads as plain words for speech: marks dropped, code and link labels kept', () => {
    expect(plainText('> 🎙 add 5 and 6\n\n5 + 6 = 11')).toBe('🎙 add 5 and 6\n\n5 + 6 = 11');
    expect(plainText('**Total** is _3_, ~~4~~ and `x*y`; see [the report](https://x.test)')).toBe(
      'Total is 3, 4 and x*y; see the report',
    );
    expect(plainText('# Digest\n\n- one\n- two\n\n1. first\n2. second')).toBe(
      'Digest\n\none\ntwo\n\n1. first\n2. second',
    );
  });

  it('gives every renderer the same tree', () => {
    const tree = parseMarkdown('a **b** c');
    expect(tree).toHaveLength(1);
    expect(renderTree(tree, plainMarkdown)).toBe('a b c');
    expect(renderTree(tree, { ...plainMarkdown, strong: (inner) => `<${inner}>` })).toBe('a <b> c');
  });

  it('splits before rendering, so every message keeps its marks balanced', () => {
    const bold = { ...plainMarkdown, strong: (inner: string) => `*${inner}*` };
    const text = Array.from({ length: 12 }, (_, i) => `**part ${i}** ${'x'.repeat(80)}`).join('\n\n');
    const parts = renderMessages(text, bold, 200);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(200);
      expect(p.split('*').length % 2).toBe(1);
    }
  });
});
