import type { IncomingMessage, ServerResponse } from 'node:http';

/** Deeper than this is no configuration anyone writes by hand; it only serves to exhaust a stack. */
export const MAX_JSON_DEPTH = 64;

export type JsonBodyProblem = 'too-deep' | 'nul' | 'lone-surrogate';

/** A refused request body; carries the status and type that body-parser errors carry. */
export class JsonBodyRefused extends Error {
  override name = 'JsonBodyRefused';
  readonly status = 400;
  readonly expose = true;
  readonly type = 'paios.body.refused';

  constructor(readonly problem: JsonBodyProblem) {
    super(
      problem === 'too-deep'
        ? `request body is nested more than ${MAX_JSON_DEPTH} levels deep`
        : problem === 'nul'
          ? 'request body holds text with a NUL character (\\u0000), which paios does not store'
          : 'request body holds text with a lone UTF-16 surrogate (such as \\ud800), which is not valid Unicode',
    );
  }
}

const hex = (b: number) => (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102);

/**
 * What is wrong with a JSON text before it is parsed: nesting deeper than `maxDepth`, or a string
 * (value or key) holding NUL or an unpaired surrogate. Raw NUL bytes and raw surrogates cannot
 * appear in valid UTF-8 JSON, so only the escapes `\u0000` and `\uD800`-`\uDFFF` need reading.
 * One pass over the bytes, no recursion: safe on any input.
 */
export function jsonBodyProblem(buf: Uint8Array, maxDepth = MAX_JSON_DEPTH): JsonBodyProblem | undefined {
  let depth = 0;
  let inString = false;
  /** A high surrogate escape was just read; the next thing must be a low surrogate escape. */
  let pendingHigh = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (inString) {
      if (b === 0x5c /* \ */) {
        const next = buf[i + 1];
        if (next === 0x75 /* u */ && i + 5 < buf.length && [2, 3, 4, 5].every((k) => hex(buf[i + k]!))) {
          const code = Number.parseInt(String.fromCharCode(...buf.subarray(i + 2, i + 6)), 16);
          i += 5;
          if (code === 0) return 'nul';
          if (code >= 0xdc00 && code <= 0xdfff) {
            if (!pendingHigh) return 'lone-surrogate';
            pendingHigh = false;
          } else if (pendingHigh) return 'lone-surrogate';
          else if (code >= 0xd800 && code <= 0xdbff) pendingHigh = true;
          continue;
        }
        if (pendingHigh) return 'lone-surrogate';
        i += 1; // any other escape: skip the escaped character
        continue;
      }
      if (pendingHigh) return 'lone-surrogate';
      if (b === 0x22 /* " */) inString = false;
      continue;
    }
    if (b === 0x22) inString = true;
    else if (b === 0x7b /* { */ || b === 0x5b /* [ */) {
      if (++depth > maxDepth) return 'too-deep';
    } else if (b === 0x7d /* } */ || b === 0x5d /* ] */) depth--;
  }
  return undefined;
}

/**
 * body-parser's `verify` hook: refuses the body before JSON.parse sees it, and keeps the raw bytes
 * (what Nest's `rawBody: true` does) for the webhooks that check signatures over them.
 */
export function verifyJsonBody(req: IncomingMessage, res: ServerResponse, buf: Buffer): void {
  keepRawBody(req, res, buf);
  const problem = jsonBodyProblem(buf);
  if (problem) throw new JsonBodyRefused(problem);
}

/** Keeps the bytes of a body as `req.rawBody` (signature checks of platform webhooks). */
export function keepRawBody(req: IncomingMessage, _res: ServerResponse, buf: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string is text paios can store: no NUL, no unpaired surrogate. */
export const isCleanText = (s: string): boolean => !s.includes('\u0000') && !LONE_SURROGATE.test(s);
