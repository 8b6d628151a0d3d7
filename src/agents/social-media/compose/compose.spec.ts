import { describe, expect, it } from '@jest/globals';
import { compose, ComposeError } from './composer.js';
import { lengthOn, LIMITS } from './networks.js';
import { splitThread } from './thread.js';

const sentence = (i: number) => `Sentence number ${i} says something about our new pricing plans.`;

describe('composing posts per network', () => {
  it('counts each network its own way', () => {
    // A family emoji is one grapheme on Bluesky, several code points elsewhere; X weighs it 2.
    const family = '👨‍👩‍👧‍👦';
    expect(lengthOn('bluesky', family)).toBe(1);
    expect(lengthOn('mastodon', family)).toBe(7);
    expect(lengthOn('x', family)).toBe(2);
    // CJK weighs 2 on X; any link counts 23.
    expect(lengthOn('x', '日本語')).toBe(6);
    expect(lengthOn('x', `see https://example.com/${'a'.repeat(100)}`)).toBe(27);
    expect(lengthOn('mastodon', `see https://example.com/${'a'.repeat(100)}`)).toBe(27);
  });

  it('keeps a short post whole and splits a long one at sentence boundaries into a numbered thread', () => {
    expect(splitThread('Hello world.', 'x')).toEqual(['Hello world.']);
    const text = Array.from({ length: 12 }, (_, i) => sentence(i + 1)).join(' ');
    const parts = splitThread(text, 'x');
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((p, i) => {
      expect(p.endsWith(` ${i + 1}/${parts.length}`)).toBe(true);
      expect(lengthOn('x', p)).toBeLessThanOrEqual(LIMITS.x);
      // Every part ends a sentence: no sentence is cut.
      expect(p.replace(/ \d+\/\d+$/, '')).toMatch(/plans\.$/);
    });
    expect(parts.map((p) => p.replace(/ \d+\/\d+$/, '')).join(' ')).toBe(text);
  });

  it('cuts a sentence longer than a post at word boundaries', () => {
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    const parts = splitThread(words, 'bluesky');
    for (const p of parts) expect(lengthOn('bluesky', p)).toBeLessThanOrEqual(300);
    expect(parts.map((p) => p.replace(/ \d+\/\d+$/, '')).join(' ')).toBe(words);
  });

  it('adds the link and hashtags, refuses an image without alt text and a too-long LinkedIn post', () => {
    const [m] = compose({ text: 'New pricing', link: 'https://acme.test/pricing', hashtags: ['pricing', '#saas'] }, [
      'mastodon',
    ]);
    expect(m!.parts).toEqual(['New pricing\n\nhttps://acme.test/pricing\n\n#pricing #saas']);
    expect(() =>
      compose({ text: 'Look', images: [{ url: 'https://acme.test/a.png', alt: ' ' }] }, ['bluesky']),
    ).toThrow(
      new ComposeError(
        'Image 1 (https://acme.test/a.png) has no alt text: every image needs a description for people who cannot see it. Add one, e.g. "alt: a chart of our new prices".',
      ),
    );
    expect(() => compose({ text: 'a'.repeat(3001) }, ['linkedin'])).toThrow(/LinkedIn takes at most 3000 characters/);
  });
});
