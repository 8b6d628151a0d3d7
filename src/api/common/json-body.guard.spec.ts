import { describe, expect, it } from '@jest/globals';
import { jsonBodyProblem } from './json-body.guard.js';

const check = (text: string) => jsonBodyProblem(Buffer.from(text, 'utf8'));

describe('the JSON body guard', () => {
  it('passes ordinary JSON, escapes, surrogate pairs and brackets inside strings', () => {
    expect(check('{"a":[1,{"b":"x\\"y\\\\"}],"e":"😀 \\ud83d\\ude00 [[[{{{"}')).toBeUndefined();
    expect(check(`${'['.repeat(64)}${']'.repeat(64)}`)).toBeUndefined();
  });
  it('refuses 10,000 levels, NUL and lone surrogates before anything parses them', () => {
    expect(check(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`)).toBe('too-deep');
    expect(check(`${'['.repeat(65)}${']'.repeat(65)}`)).toBe('too-deep');
    expect(check('{"a":"x\\u0000y"}')).toBe('nul');
    expect(check('{"k\\u0000":1}')).toBe('nul');
    expect(check('{"a":"\\ud800"}')).toBe('lone-surrogate');
    expect(check('{"a":"\\udc00\\ud800"}')).toBe('lone-surrogate');
    expect(check('{"a":"\\ud800\\n"}')).toBe('lone-surrogate');
  });
});
