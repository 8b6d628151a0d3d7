import { describe, expect, it } from '@jest/globals';
import { toDiscordMarkdown, toDiscordMessages } from './discord.markdown.js';

describe('Discord markdown', () => {
  it('keeps the markdown Discord shows, and plain answers as they are', () => {
    expect(toDiscordMarkdown('7 + 6 = 13')).toBe('7 + 6 = 13');
    expect(toDiscordMarkdown('**Total** is _3_, ~~4~~ and `x*y`')).toBe('**Total** is *3*, ~~4~~ and `x*y`');
    expect(toDiscordMarkdown('# Digest\n\n#### Detail\n\n- one\n- two\n  - nested\n\n> quoted')).toBe(
      '# Digest\n\n**Detail**\n\n- one\n- two\n  - nested\n\n> quoted',
    );
    expect(toDiscordMarkdown('```ts\nconst a = 1;\n```')).toBe('```ts\nconst a = 1;\n```');
    expect(toDiscordMarkdown('[site](https://x.test) and https://y.test/a_b')).toBe(
      '[site](https://x.test) and https://y.test/a_b',
    );
  });

  it('escapes what Discord would read as markup but the text meant literally', () => {
    expect(toDiscordMarkdown('create\\_invoice costs 2 \\* 3 ||not a spoiler||')).toBe(
      'create\\_invoice costs 2 \\* 3 \\|\\|not a spoiler\\|\\|',
    );
    expect(toDiscordMarkdown('\\# not a heading')).toBe('\\# not a heading');
    expect(toDiscordMarkdown('<b>raw</b> [bad](javascript:alert(1))')).toBe('<b>raw</b> bad');
  });

  it('leaves mentions and channel links as Discord writes them', () => {
    expect(toDiscordMarkdown('Created <#123>: everything said there goes to #91 calculator.')).toBe(
      'Created <#123>: everything said there goes to #91 calculator.',
    );
  });

  it('draws tables and rules with what Discord has', () => {
    expect(toDiscordMarkdown('| a | b |\n|---|---|\n| 1 | 22 |\n\n---')).toBe('```\na  b\n1  22\n```\n\n──────────');
  });

  it('splits long answers into messages of at most 2000 characters', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Line ${i} ${'x'.repeat(150)}`).join('\n\n');
    const parts = toDiscordMessages(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.join('\n\n')).toBe(text);
  });
});
