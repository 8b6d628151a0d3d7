import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { parseStructured, structuredRequest } from './structured-output.js';

const schema = z.object({ total: z.number() });

describe('structured answers', () => {
  it('reads JSON inside code fences or after a preamble', () => {
    expect(parseStructured('```json\n{"total": 3}\n```', schema)).toEqual({ ok: true, value: { total: 3 } });
    expect(parseStructured('Here you go: {"total": 4}', schema)).toEqual({ ok: true, value: { total: 4 } });
  });

  it('says what was wrong with an answer that does not fit', () => {
    expect(parseStructured('no idea', schema)).toEqual({ ok: false, problem: 'it is not JSON' });
    const wrong = parseStructured('{"total": "three"}', schema);
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.problem).toMatch(/^total: /);
  });

  it('puts the JSON Schema into the instructions, after those already given', () => {
    const asked = structuredRequest({ system: 'Be brief.', messages: [] }, schema);
    expect(asked.system).toMatch(/^Be brief\.\n\nAnswer with one JSON value only/);
    expect(asked.system).toContain('"total":{"type":"number"}');
  });
});
