import type { TopLevelSpec } from 'vega-lite';
import type { Spec } from 'vega';

/**
 * vega-lite, loaded on the first chart and kept from patching the rest of the process.
 *
 * On import vega-lite assigns `Set.prototype.toJSON` so that its own `stringify` can hash sets. In a
 * process that also runs discord.js that is fatal: the `node-inspect-extracted` bundled in
 * `@vladfrangu/async_event_emitter` walks Set.prototype when it loads and calls every method without
 * parameters expecting an iterator, so it dies with `string "Set()" is not iterable`; and every
 * `JSON.stringify(new Set())` in the process would print "Set()" instead of {}.
 *
 * So before vega-lite loads, `toJSON` on Set.prototype becomes an accessor: vega-lite's assignment
 * lands in the setter, and the getter hands the function out only while `compileVegaLite` runs.
 * compile() is synchronous, so no other code can see it. If vega-lite got loaded elsewhere first,
 * the same accessor takes over its plain property.
 */

type VegaLite = typeof import('vega-lite');

let vegaToJson: unknown;
let compiling = 0;
let loading: Promise<VegaLite> | undefined;

function toJsonWhileCompiling(this: unknown): unknown {
  return compiling > 0 ? vegaToJson : undefined;
}

function keepToJson(value: unknown): void {
  vegaToJson = value;
}

/** Installs the accessor (again, if something replaced it with a plain property). */
export function guardSetPrototype(): void {
  const current = Object.getOwnPropertyDescriptor(Set.prototype, 'toJSON');
  if (current?.get === toJsonWhileCompiling) return;
  if (current && 'value' in current) vegaToJson = current.value;
  Object.defineProperty(Set.prototype, 'toJSON', {
    configurable: true,
    enumerable: false,
    get: toJsonWhileCompiling,
    set: keepToJson,
  });
}

function loadVegaLite(): Promise<VegaLite> {
  guardSetPrototype();
  return (loading ??= import('vega-lite').then(
    (mod) => {
      guardSetPrototype();
      return mod;
    },
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  ));
}

/** Vega-Lite -> Vega, with vega-lite's Set.prototype.toJSON visible for the length of the call only. */
export async function compileVegaLite(spec: TopLevelSpec): Promise<Spec> {
  const { compile } = await loadVegaLite();
  guardSetPrototype();
  compiling++;
  try {
    return compile(spec).spec;
  } finally {
    compiling--;
  }
}
