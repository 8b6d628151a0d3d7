import type { Entity } from './entity-extractor.js';

interface JsonSchemaProperty {
  type?: string | string[];
  format?: string;
  description?: string;
  default?: unknown;
}

interface ObjectSchema {
  properties?: Record<string, JsonSchemaProperty>;
  required?: string[];
}

const MONEY = /amount|price|rate|total|cost|fee|budget|pay/i;
const HOURS = /hour/i;
const DAYS = /days?$/i;
const EMAIL = /e-?mail/i;
const URL_NAME = /url|link|website|site|href/i;
const RANGE = /period|range|between/i;
const DATE = /date|day|when|due|at$|on$/i;

const typeOf = (p: JsonSchemaProperty): string =>
  Array.isArray(p.type) ? (p.type.find((t) => t !== 'null') ?? '') : (p.type ?? '');

const overlaps = (a: Entity, b: Entity) => a.start < b.start + b.text.length && b.start < a.start + a.text.length;

/**
 * Fills a tool's parameters from the entities of a message, by each parameter's JSON Schema type,
 * format and name: money for prices and rates, durations for hours, dates, ranges, emails, URLs,
 * and the remaining numbers in order. Anything it cannot fill from entities is left to the tool's
 * defaults, or reported missing when required.
 */
export function fillParameters(
  schema: ObjectSchema,
  entities: Entity[],
  freeText?: { text: string; examples: string[] },
): { parameters: Record<string, unknown>; missing: string[] } {
  const used = new Set<Entity>();
  const take = (pred: (e: Entity) => boolean): Entity | undefined => {
    const e = entities.find((x) => !used.has(x) && pred(x));
    if (!e) return undefined;
    used.add(e);
    // A number inside a money amount or a duration is the same thing said once.
    for (const other of entities) if (other !== e && overlaps(other, e)) used.add(other);
    return e;
  };
  const parameters: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const type = typeOf(prop);
    const hint = `${name} ${prop.description ?? ''}`;
    let value: unknown;
    if (type === 'number' || type === 'integer') {
      if (MONEY.test(name)) {
        const e = take((x) => x.type === 'money') ?? take((x) => x.type === 'number');
        value = e && 'value' in e ? e.value : undefined;
      } else if (HOURS.test(name) || DAYS.test(name)) {
        const d = take((x) => x.type === 'duration');
        if (d?.type === 'duration') value = d.seconds / (HOURS.test(name) ? 3600 : 86400);
        else value = (take((x) => x.type === 'number') as { value?: number } | undefined)?.value;
      } else {
        const e = take((x) => x.type === 'number');
        value = e?.type === 'number' ? e.value : undefined;
      }
      if (type === 'integer' && typeof value === 'number' && !Number.isInteger(value)) value = undefined;
    } else if (type === 'string') {
      if (prop.format === 'email' || EMAIL.test(name))
        value = (take((x) => x.type === 'email') as { value?: string } | undefined)?.value;
      else if (prop.format === 'uri' || URL_NAME.test(name))
        value = (take((x) => x.type === 'url') as { value?: string } | undefined)?.value;
      else if (prop.format === 'date' || prop.format === 'date-time' || DATE.test(name)) {
        value = (take((x) => x.type === 'date') as { date?: string } | undefined)?.date;
      }
    } else if (type === 'object' && RANGE.test(hint)) {
      const r = take((x) => x.type === 'daterange');
      if (r?.type === 'daterange') value = { from: r.from, to: r.to };
    }
    if (value !== undefined) parameters[name] = value;
  }
  const unfilled = (schema.required ?? []).filter(
    (name) => parameters[name] === undefined && schema.properties?.[name]?.default === undefined,
  );
  // One required text parameter left over ("remember to call Alice"): it gets what was said,
  // minus the command words the tool's own examples start with.
  const strings = unfilled.filter((n) => typeOf(schema.properties![n]!) === 'string');
  if (freeText && strings.length === 1 && unfilled.length === 1) {
    const value = commandArgument(freeText.text, freeText.examples);
    if (value) parameters[strings[0]!] = value;
  }
  const missing = unfilled.filter((name) => parameters[name] === undefined);
  return { parameters, missing };
}

const FILLER = new Set(['to', 'that', 'a', 'an', 'the', 'about', 'down', 'note', 'me', 'please']);

/** "remember to call Alice" -> "call Alice", given examples that start with "remember", "note", ... */
export function commandArgument(text: string, examples: string[]): string {
  const verbs = new Set(examples.map((e) => e.trim().split(/\s+/)[0]!.toLowerCase()));
  const words = text.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && verbs.has(words[i]!.toLowerCase().replace(/[:,]$/, ''))) i++;
  if (i === 0) return text.trim();
  while (i < words.length - 1 && FILLER.has(words[i]!.toLowerCase().replace(/[:,]$/, ''))) i++;
  return words
    .slice(i)
    .join(' ')
    .replace(/^[:,-]\s*/, '')
    .trim();
}
