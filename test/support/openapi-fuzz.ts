/**
 * Hostile requests derived from an OpenAPI document: for every operation, a valid base request
 * (from the request body's schema) with exactly one part replaced by a value no route may accept:
 * text with NUL or a lone surrogate, over-long text, 10,000-level nesting, wrong types, huge or
 * negative numbers; path and query parameters such as 999999999999999999999 and '../'. Every value
 * here is invalid wherever it lands, so a correct server answers each with a 4xx and changes nothing.
 * Randomness comes from a seeded generator, so a failure reproduces with the same seed.
 */

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

export interface HostileRequest {
  method: string;
  /** The path template, e.g. /api/agents/{id}. */
  route: string;
  /** The URL path with its query, already encoded. */
  url: string;
  /** The raw body text, if any (JSON, or deliberately not). */
  body?: string;
  /** What was made hostile, for the failure report. */
  what: string;
  /** Only for calls without a valid token: the route as it is, with an invalid body if it takes one. */
  probe?: boolean;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEEP = 10_000;
/** A marker replaced in the serialised body by raw JSON text that JSON.stringify cannot produce. */
const RAW = (text: string) => `\u0001RAW:${text}\u0001`;
const deepObject = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;
const deepArray = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;

/** Hostile values for a field of this schema: each one invalid for it. */
function hostileValues(schema: JsonSchema, random: () => number): [string, unknown][] {
  const type = kind(schema);
  const text: [string, unknown][] = [
    ['NUL in text', 'a\u0000b'],
    ['lone surrogate', 'x\ud800y'],
    ['lone low surrogate', '\udfff'],
    ['70,000 characters', 'A'.repeat(70_000)],
    ['random hostile text', randomHostileText(random)],
  ];
  const nesting: [string, unknown][] = [
    ['10,000-level object', RAW(deepObject)],
    ['10,000-level array', RAW(deepArray)],
  ];
  const numbers: [string, unknown][] = [
    ['1e20', 1e20],
    ['999999999999999999999', RAW('999999999999999999999')],
    ['1e308', 1e308],
    ['-1', -1],
    ['-2147483649', -2147483649],
    ['0.5', 0.5],
    ['random huge number', Math.floor(random() * 1e6) * 1e18],
  ];
  switch (type) {
    case 'string':
      return [...text, ...nesting, ['a number', 12345], ['true', true], ['an array', ['x']], ['an object', { a: 1 }]];
    case 'integer':
    case 'number':
      return [
        ...numbers.filter(([, v]) => !fits(schema, v)),
        ...text.slice(0, 2),
        ...nesting,
        ['text', '15'],
        ['an object', { a: 1 }],
      ];
    case 'boolean':
      return [...text.slice(0, 2), ['text', 'true'], ['a number', 1], ...nesting];
    case 'array':
      return [...text.slice(0, 2), ['an object', { a: 1 }], ['a number', 1e20], ...nesting];
    default:
      // Objects and records: free-form JSON must still be bounded and clean.
      return [
        ...text.slice(0, 2),
        ['a number', 1e20],
        ['an array', [1, 2]],
        ...nesting,
        ['NUL in a key', { 'k\u0000': 'v' }],
        ['lone surrogate in a nested value', { a: { b: ['\ud800'] } }],
      ];
  }
}

function fits(schema: JsonSchema, v: unknown): boolean {
  if (typeof v !== 'number') return false;
  if (kind(schema) === 'integer' && !Number.isSafeInteger(v)) return false;
  if (schema.minimum !== undefined && v < schema.minimum) return false;
  if (schema.maximum !== undefined && v > schema.maximum) return false;
  return schema.minimum !== undefined && schema.maximum !== undefined;
}

function randomHostileText(random: () => number): string {
  const pieces = ['\u0000', '\ud800', '\udc00', '\u202e', '\ufeff', '../', '%00', "'; DROP TABLE agents; --", '😀'];
  let s = '\u0000';
  const n = 1 + Math.floor(random() * 12);
  for (let i = 0; i < n; i++) s += pieces[Math.floor(random() * pieces.length)]!;
  return s;
}

function kind(s: JsonSchema): string {
  const branch = s.oneOf?.[0] ?? s.anyOf?.[0] ?? s.allOf?.[0];
  if (!s.type && branch) return kind(branch);
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  return t ?? (s.properties || s.additionalProperties ? 'object' : 'unknown');
}

/** A value the schema accepts (the first branch of a union), with `ids` for UUID fields. */
function sample(s: JsonSchema, ids: string[], depth = 0): unknown {
  const branch = s.oneOf?.[0] ?? s.anyOf?.[0] ?? s.allOf?.[0];
  if (branch && !s.type) return sample(branch, ids, depth);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  switch (kind(s)) {
    case 'string':
      if (s.format === 'uuid') return ids[depth % ids.length] ?? '00000000-0000-4000-8000-000000000000';
      if (s.format === 'uri' || s.format === 'url') return 'http://127.0.0.1:9/x';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = sample(s.properties?.[key] ?? {}, ids, depth + 1);
      if (!s.properties && s.additionalProperties !== false) out.k = 'v';
      return out;
    }
    default:
      return 'x';
  }
}

/** Every field of the schema (top level and one level down) with its schema, as paths. */
function fields(s: JsonSchema, prefix: string[] = [], depth = 0): { path: string[]; schema: JsonSchema }[] {
  const branch = s.oneOf?.[0] ?? s.anyOf?.[0] ?? s.allOf?.[0];
  if (branch && !s.properties) return fields(branch, prefix, depth);
  const out: { path: string[]; schema: JsonSchema }[] = [];
  for (const [key, sub] of Object.entries(s.properties ?? {})) {
    out.push({ path: [...prefix, key], schema: sub });
    if (depth < 1 && kind(sub) === 'object' && sub.properties) out.push(...fields(sub, [...prefix, key], depth + 1));
  }
  return out;
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
  return copy;
}

/** JSON text with RAW markers spliced in as raw JSON. */
function serialise(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001RAW:(.*?)\\u0001"/g, (_m, raw: string) => raw);
}

const HOSTILE_PARAMS: [string, string][] = [
  ['999999999999999999999', '999999999999999999999'],
  ['-1', '-1'],
  ['../', '..%2F'],
  ['../../etc/passwd', '..%2F..%2Fetc%2Fpasswd'],
  ['NUL', 'a%00b'],
  ['invalid UTF-8 (an encoded surrogate)', '%ED%A0%80'],
  ['bad percent-encoding', '%E0%A4%A'],
  ['3,000 characters', 'A'.repeat(3000)],
  ['SQL', "1'%20OR%20'1'%3D'1"],
  ['a float', '1.5e300'],
];

const RAW_BODIES: [string, string][] = [
  ['body null', 'null'],
  ['body an array', '[1,2,3]'],
  ['body a string', '"\\u0000"'],
  ['body a huge number', '1e400'],
  ['body not JSON', '{"a":'],
  ['body 10,000-level object', deepObject],
  ['body 10,000-level array', deepArray],
  ['body 2 MB', JSON.stringify({ a: 'A'.repeat(2 * 1024 * 1024) })],
];

/**
 * The hostile requests for every operation of the document. `idsFor(route)` names existing ids
 * (so a body reaches validation behind a real resource) and `bodyIds` fills UUID fields of bodies.
 */
export function hostileRequests(
  doc: OpenApiDocument,
  options: { seed: number; idsFor: (route: string, param: string) => string; bodyIds: string[] },
): HostileRequest[] {
  const random = seededRandom(options.seed);
  const out: HostileRequest[] = [];
  for (const [route, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []).filter((p) => p.in === 'path');
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      const validPath = (except?: string, hostile?: string) =>
        route.replace(/\{(\w+)\}/g, (_m, name: string) =>
          name === except ? hostile! : encodeURIComponent(options.idsFor(route, name)),
        );
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const base = schema ? sample(schema, options.bodyIds) : undefined;
      const baseBody = base === undefined ? undefined : JSON.stringify(base);
      const M = method.toUpperCase();
      out.push({
        method: M,
        route,
        url: validPath(),
        body: schema ? '{"not a field of any route":1}' : undefined,
        what: 'as is',
        probe: true,
      });

      for (const p of params)
        for (const [label, value] of HOSTILE_PARAMS)
          out.push({
            method: M,
            route,
            url: validPath(p.name, value),
            body: baseBody,
            what: `path ${p.name}: ${label}`,
          });
      for (const q of query)
        for (const [label, value] of [
          ...HOSTILE_PARAMS,
          ['repeated', 'a&' + q.name + '=b'] as [string, string],
          ['nested', 'x&' + q.name + '[a][b]=1'] as [string, string],
        ])
          out.push({
            method: M,
            route,
            url: `${validPath()}?${q.name}=${value}`,
            body: baseBody,
            what: `query ${q.name}: ${label}`,
          });

      // Routes without a body still get hostile bodies: a body must never reach them unchecked.
      const bodies = schema ? RAW_BODIES : RAW_BODIES.filter(([l]) => l !== 'body null' && l !== 'body an array');
      if (schema || method !== 'get')
        for (const [label, body] of bodies) out.push({ method: M, route, url: validPath(), body, what: label });
      if (!schema || typeof base !== 'object' || base === null) continue;

      for (const field of fields(schema))
        for (const [label, value] of hostileValues(field.schema, random))
          out.push({
            method: M,
            route,
            url: validPath(),
            body: serialise(setAt(base as Record<string, unknown>, field.path, value)),
            what: `${field.path.join('.')}: ${label}`,
          });
      out.push({
        method: M,
        route,
        url: validPath(),
        body: serialise({ ...base, ['extra\u0000']: RAW(deepObject) }),
        what: 'an unknown field with a NUL in its name and a deep value',
      });
    }
  }
  return out;
}
