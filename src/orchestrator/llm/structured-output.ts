import { z } from 'zod';
import type { LlmRequest } from './language-model.port.js';

/**
 * Structured answers by instruction, which every provider and local server follows: the JSON Schema
 * goes into the instructions, the answer is parsed and validated with zod, and a bad answer is shown
 * back to the model with what was wrong.
 */

export function structuredRequest(request: LlmRequest, schema: z.ZodType): LlmRequest {
  let shape: unknown;
  try {
    shape = z.toJSONSchema(schema, { unrepresentable: 'any' });
  } catch {
    shape = {}; // a schema JSON Schema cannot express is still validated on the answer
  }
  const instruction =
    'Answer with one JSON value only (no prose, no code fences) that matches this JSON Schema:\n' +
    JSON.stringify(shape);
  return { ...request, tools: undefined, system: request.system ? `${request.system}\n\n${instruction}` : instruction };
}

/** The request again, with the bad answer and what was wrong with it. */
export function structuredRetry(request: LlmRequest, answer: string, problem: string): LlmRequest {
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: answer || '(empty)' },
      {
        role: 'user',
        content: `That answer was not valid (${problem}). Answer again with the JSON value only, matching the schema.`,
      },
    ],
  };
}

export function parseStructured<T>(
  text: string,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; problem: string } {
  const body = jsonBody(text);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'it is not JSON' };
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problem = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, problem };
}

/** The JSON inside an answer: without code fences, from the first { or [ to the last } or ]. */
function jsonBody(text: string): string {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const inner = (fenced?.[1] ?? text).trim();
  const start = inner.search(/[[{]/);
  const end = Math.max(inner.lastIndexOf('}'), inner.lastIndexOf(']'));
  return start >= 0 && end > start ? inner.slice(start, end + 1) : inner;
}
