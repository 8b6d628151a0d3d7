import { z } from 'zod';

/**
 * What an `agent_workflows` row means. trigger_conditions: the source agent's event and conditions
 * on its payload; actions: the target agent's tool and its parameters, where a string
 * "{{payload.path}}" is replaced by that value of the event (a whole-string template keeps the
 * value's type; templates inside longer strings are interpolated as text).
 */
const comparison = z
  .object({
    eq: z.unknown().optional(),
    ne: z.unknown().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    in: z.array(z.unknown()).optional(),
    exists: z.boolean().optional(),
  })
  .strict();

export const triggerSchema = z
  .object({
    event: z.string({ message: 'expected the name of an event of the source agent' }).min(1),
    /** payload path -> value (equality) or a comparison such as { "gte": 1000 }. */
    when: z.record(z.string(), z.union([comparison, z.unknown()])).optional(),
  })
  .strict();

export const actionSchema = z
  .object({
    tool: z.string({ message: 'expected the name of a tool of the target agent' }).min(1),
    parameters: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type WorkflowTrigger = z.infer<typeof triggerSchema>;
export type WorkflowAction = z.infer<typeof actionSchema>;

const COMPARISON_KEYS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists']);

export function valueAt(source: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      source,
    );
}

const isComparison = (v: unknown): v is z.infer<typeof comparison> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length > 0 &&
  Object.keys(v).every((k) => COMPARISON_KEYS.has(k));

/** Whether an event's payload satisfies every condition. */
export function matches(when: WorkflowTrigger['when'], payload: Record<string, unknown>): boolean {
  for (const [path, expected] of Object.entries(when ?? {})) {
    const actual = valueAt({ payload }, path.startsWith('payload.') ? path : `payload.${path}`);
    if (!isComparison(expected)) {
      if (JSON.stringify(actual) !== JSON.stringify(expected)) return false;
      continue;
    }
    const n = typeof actual === 'number' ? actual : Number.NaN;
    if ('exists' in expected && (actual !== undefined) !== expected.exists) return false;
    if ('eq' in expected && JSON.stringify(actual) !== JSON.stringify(expected.eq)) return false;
    if ('ne' in expected && JSON.stringify(actual) === JSON.stringify(expected.ne)) return false;
    if (expected.gt !== undefined && !(n > expected.gt)) return false;
    if (expected.gte !== undefined && !(n >= expected.gte)) return false;
    if (expected.lt !== undefined && !(n < expected.lt)) return false;
    if (expected.lte !== undefined && !(n <= expected.lte)) return false;
    if (expected.in && !expected.in.some((v) => JSON.stringify(v) === JSON.stringify(actual))) return false;
  }
  return true;
}

const WHOLE = /^\{\{\s*([\w.]+)\s*\}\}$/;
const INLINE = /\{\{\s*([\w.]+)\s*\}\}/g;

/** Fills "{{payload.x}}" templates from the event, recursively through objects and arrays. */
export function render(template: unknown, event: { name: string; payload: Record<string, unknown> }): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole) return valueAt(event, whole[1]!);
    return template.replace(INLINE, (_m, path: string) => {
      const v = valueAt(event, path);
      if (v === undefined || v === null) return '';
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(template)) return template.map((t) => render(t, event));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, render(v, event)]));
  }
  return template;
}
