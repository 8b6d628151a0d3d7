import { describe, expect, it } from '@jest/globals';
import { toMrkdwn } from './slack.mrkdwn.js';

describe('Slack mrkdwn', () => {
  it('turns markdown emphasis, headings and lists into what Slack shows', () => {
    expect(toMrkdwn('# Digest\n\n**Total** is _3_ and ~~4~~')).toBe('*Digest*\n\n*Total* is _3_ and ~4~');
    expect(toMrkdwn('- one\n- **two**\n  - nested\n\n1. first\n2. second')).toBe(
      '• one\n• *two*\n    • nested\n\n1. first\n2. second',
    );
    expect(toMrkdwn('> 🎙 add 5 and 6\n\n5 + 6 = 11')).toBe('> 🎙 add 5 and 6\n\n5 + 6 = 11');
  });

  it('escapes &, < and > everywhere, so no text becomes a link or a mention', () => {
    expect(toMrkdwn('a < b & c > d <!channel>')).toBe('a &lt; b &amp; c &gt; d &lt;!channel&gt;');
    expect(toMrkdwn('`a<b>` and\n\n```ts\nif (a && b) {}\n```')).toBe(
      '`a&lt;b&gt;` and\n\n```\nif (a &amp;&amp; b) {}\n```',
    );
  });

  it('writes links the Slack way and drops unsafe ones to their words', () => {
    expect(toMrkdwn('[the site](https://x.test/?a=1&b=2) and https://y.test')).toBe(
      '<https://x.test/?a=1&amp;b=2|the site> and <https://y.test>',
    );
    expect(toMrkdwn('[a|b](https://x.test) [bad](javascript:alert(1))')).toBe('<https://x.test|a/b> bad');
  });

  it('shows a table as aligned columns in a code block', () => {
    expect(toMrkdwn('| name | total |\n|---|---|\n| Acme | 1500 |')).toBe('```\nname  total\nAcme  1500\n```');
  });
});
