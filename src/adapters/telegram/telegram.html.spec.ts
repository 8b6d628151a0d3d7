import { describe, expect, it } from '@jest/globals';
import { toTelegramHtml, toTelegramMessages } from './telegram.html.js';

describe('Telegram HTML', () => {
  it('renders the markdown of replies as the tags Telegram accepts, escaping the rest', () => {
    expect(toTelegramHtml('**Total** is _3 < 4_ & `a<b>`')).toBe(
      '<b>Total</b> is <i>3 &lt; 4</i> &amp; <code>a&lt;b&gt;</code>',
    );
    expect(toTelegramHtml('[site](https://x.test/?a=1&b="2") and [bad](javascript:alert(1))')).toBe(
      '<a href="https://x.test/?a=1&amp;b=&quot;2&quot;">site</a> and bad',
    );
    expect(toTelegramHtml('```ts\nconst a = 1 < 2;\n```')).toBe(
      '<pre><code class="language-ts">const a = 1 &lt; 2;</code></pre>',
    );
    expect(toTelegramHtml('# Digest\n\n- one\n- **two**\n\n> quoted')).toBe(
      '<b>Digest</b>\n\n• one\n• <b>two</b>\n\n<blockquote>quoted</blockquote>',
    );
    expect(toTelegramHtml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('starts a nested list on its own line', () => {
    expect(toTelegramHtml('- one\n  - inner\n- two')).toBe('• one\n   • inner\n• two');
  });

  it('splits long answers into messages of at most 4096 characters', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Line ${i} <${'x'.repeat(300)}>`).join('\n\n');
    const parts = toTelegramMessages(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n\n')).toBe(text.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });
});
