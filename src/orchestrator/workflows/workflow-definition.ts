import { z } from 'zod';

/**
 * What an `agent_workflows` row means. trigger_conditions: the source agent's event and conditions
 * on its payload; actions: the target agent's tool and its parameters, where a string
 * "{{payload.path}}" is replaced by that value of the event (a whole-string template keeps the
 * value's type; templates inside longer strings are interpolated as text).
 */

/** A bound of a comparison: a number, or a decimal string such as "100.00" (money, compared exactly). */
const bound = z.union([z.number().finite(), z.string().regex(/^-?\d{1,30}(\.\d{1,18})?$/, 'expected a number')], {
  message: 'expected a number or a decimal such as "100.00"',
});

const comparison = z
  .object({
    eq: z.unknown().optional(),
    ne: z.unknown().optional(),
    gt: bound.optional(),
    gte: bound.optional(),
    lt: bound.optional(),
    lte: bound.optional(),
    in: z.array(z.unknown()).optional(),
    exists: z.boolean().optional(),
  })
  .strict();
type Comparison = z.infer<typeof comparison>;

const COMPARISON_KEYS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists']);

const isComparison = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length > 0 &&
  Object.keys(v).every((k) => COMPARISON_KEYS.has(k));

export const triggerSchema = z
  .object({
    event: z.string({ message: 'expected the name of an event of the source agent' }).min(1).max(255),
    /** payload path -> value (equality) or a comparison such as { "gte": 1000 } or { "gte": "100.00" }. */
    when: z
      .record(z.string().min(1).max(255), z.unknown())
      .superRefine((when, ctx) => {
        // An object whose keys are all comparison operators is a comparison: it must be a valid one.
        for (const [path, v] of Object.entries(when)) {
          if (!isComparison(v)) continue;
          const parsed = comparison.safeParse(v);
          if (!parsed.success)
            for (const issue of parsed.error.issues)
              ctx.addIssue({ code: 'custom', path: [path, ...issue.path], message: issue.message });
        }
      })
      .optional(),
  })
  .strict();

export const actionSchema = z
  .object({
    tool: z.string({ message: 'expected the name of a tool of the target agent' }).min(1).max(255),
    parameters: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type WorkflowTrigger = z.infer<typeof triggerSchema>;
export type WorkflowAction = z.infer<typeof actionSchema>;

export function valueAt(source: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      source,
    );
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * A number or decimal string as an exact decimal (digits scaled by 10^scale), or undefined when it
 * is neither. Events carry money as text ("500.00", from minor units): it is compared as written,
 * never through a float.
 */
function decimal(v: unknown): { digits: bigint; scale: number } | undefined {
  let text: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    text = v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  } else if (typeof v === 'string' && v.length <= 64) text = v.trim();
  else return undefined;
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const fraction = m[3] ?? '';
  const digits = BigInt(`${m[2]}${fraction}`);
  return { digits: m[1] ? -digits : digits, scale: fraction.length };
}

/** -1, 0 or 1 comparing two decimals exactly; undefined when either is not a number. */
export function compareDecimal(a: unknown, b: unknown): number | undefined {
  const x = decimal(a);
  const y = decimal(b);
  if (!x || !y) return undefined;
  const scale = Math.max(x.scale, y.scale);
  const l = x.digits * 10n ** BigInt(scale - x.scale);
  const r = y.digits * 10n ** BigInt(scale - y.scale);
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Equal as JSON, or as numbers when one side is a number and the other its decimal text ("500.00" = 500). */
function same(actual: unknown, expected: unknown): boolean {
  if (JSON.stringify(actual) === JSON.stringify(expected)) return true;
  const mixed =
    (typeof actual === 'number' && typeof expected === 'string') ||
    (typeof actual === 'string' && typeof expected === 'number');
  return mixed && compareDecimal(actual, expected) === 0;
}

/** Whether an event's payload satisfies every condition. */
export function matches(when: WorkflowTrigger['when'], payload: Record<string, unknown>): boolean {
  for (const [path, expected] of Object.entries(when ?? {})) {
    const actual = valueAt({ payload }, path.startsWith('payload.') ? path : `payload.${path}`);
    if (!isComparison(expected)) {
      if (!same(actual, expected)) return false;
      continue;
    }
    const c = expected as Comparison;
    const against = (b: unknown) => compareDecimal(actual, b);
    if ('exists' in c && (actual !== undefined) !== c.exists) return false;
    if ('eq' in c && !same(actual, c.eq)) return false;
    if ('ne' in c && same(actual, c.ne)) return false;
    if (c.gt !== undefined && !((against(c.gt) ?? -1) > 0)) return false;
    if (c.gte !== undefined && !((against(c.gte) ?? -1) >= 0)) return false;
    if (c.lt !== undefined && !((against(c.lt) ?? 1) < 0)) return false;
    if (c.lte !== undefined && !((against(c.lte) ?? 1) <= 0)) return false;
    if (c.in && !c.in.some((v) => same(actual, v))) return false;
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
