#!/usr/bin/env node
// Writes docs/configuration.md from the zod schema of the environment (src/config/config.schema.ts), so
// the table of settings cannot drift from what paios accepts. `npm run docs:config` builds and runs it;
// `--check` exits 1 when the file on disk differs; test/docs/docs.test.ts runs the same comparison.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CONFIGURATION_MD = join(root, 'docs', 'configuration.md');

/**
 * What happens when a setting is unset but its schema has no default of its own: parseConfig or the
 * loader fills it in from elsewhere, or the schema's default depends on the machine (PAIOS_TIMEZONE).
 */
const UNSET = {
  PAIOS_PLUGINS_DIR: '`<data dir>/plugins`',
  ACCESS_TOKEN_SECRET: 'generated once into `<data dir>/secrets/access-token.key`',
  OPENAI_BASE_URL: "OpenAI's",
  APIFY_API_BASE: "Apify's",
  ANTHROPIC_BASE_URL: "Anthropic's",
  STRIPE_API_BASE: "Stripe's",
  LLM_PROVIDER: '`openai` when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set, else `anthropic` when its key is',
  PAIOS_ADMIN_EMAILS: 'the owner (`paios init --owner`, or the user of the first token)',
  PAIOS_LOCAL_USER: 'the owner',
  PAIOS_TIMEZONE: "the machine's time zone (`UTC` if it has none)",
  SLACK_API_URL: "Slack's",
  TELEGRAM_API_ROOT: '`https://api.telegram.org`',
  DISCORD_API_URL: "Discord's",
  STT_PROVIDER: '`openai` when `STT_BASE_URL`, `STT_API_KEY` or `OPENAI_API_KEY` is set, else `none`',
  STT_BASE_URL: '`OPENAI_BASE_URL`',
  STT_API_KEY: '`OPENAI_API_KEY`',
  TTS_PROVIDER: '`openai` when `TTS_BASE_URL` or `TTS_API_KEY` is set, else `none`',
  TTS_BASE_URL: '`OPENAI_BASE_URL`',
  TTS_API_KEY: '`OPENAI_API_KEY`',
};

const BOOLEAN_WORDS = ['true', 'false', '1', '0', 'yes', 'no'];
const DURATION = String(/^\d+\s*(s|m|h|d)$/);

/** Peels default/optional/transform off a field: its input type, its default, whether it is a list. */
function unwrap(field) {
  let schema = field;
  let defaultValue;
  let transformed = false;
  for (;;) {
    const def = schema.def;
    if (def.type === 'default') {
      defaultValue = def.defaultValue;
      schema = def.innerType;
    } else if (def.type === 'optional') {
      schema = def.innerType;
    } else if (def.type === 'pipe') {
      transformed = true;
      schema = def.in;
    } else {
      return { schema, defaultValue, transformed };
    }
  }
}

function checksOf(schema) {
  return (schema.def.checks ?? []).map((c) => c._zod.def);
}

function range(checks) {
  const low = checks.find((c) => c.check === 'greater_than');
  const high = checks.find((c) => c.check === 'less_than');
  if (low && !low.inclusive && low.value === 0 && !high) return '≥ 1';
  if (low && high && low.inclusive && high.inclusive) return `${low.value}–${high.value}`;
  return '';
}

function typeOf(schema, transformed) {
  const def = schema.def;
  if (def.type === 'enum') {
    const values = Object.values(def.entries).map(String);
    if (values.length === BOOLEAN_WORDS.length && BOOLEAN_WORDS.every((w) => values.includes(w))) return 'boolean';
    return values.map((v) => `\`${v}\``).join(', ');
  }
  if (def.type === 'number') {
    const checks = checksOf(schema);
    const whole = checks.some((c) => c.check === 'number_format' && c.format === 'safeint');
    return [whole ? 'integer' : 'number', range(checks)].filter(Boolean).join(' ');
  }
  if (def.type === 'string') {
    if (transformed) return 'list';
    if (def.format === 'url') return 'URL';
    if (def.format === 'email') return 'email';
    const patterns = checksOf(schema).filter((c) => c.format === 'regex');
    if (patterns.some((c) => String(c.pattern) === DURATION)) return 'duration';
    return 'string';
  }
  throw new Error(`config-docs: no wording for a ${def.type} setting; teach scripts/config-docs.mjs`);
}

function defaultText(name, defaultValue) {
  if (name in UNSET) return UNSET[name];
  if (defaultValue === undefined || defaultValue === '') return '—';
  return `\`${String(defaultValue)}\``;
}

const cell = (text) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The whole of docs/configuration.md for a zod object schema of environment variables, formatted as
 * prettier formats markdown in this repository (so `prettier --check .` agrees with the generator).
 */
export async function renderConfigDocs(envSchema, secretSettings) {
  const secrets = new Set(secretSettings);
  const names = Object.keys(envSchema.shape);
  for (const name of Object.keys(UNSET))
    if (!names.includes(name)) throw new Error(`config-docs: ${name} is described as unset but not in the schema`);
  const rows = names.map((name) => {
    const field = envSchema.shape[name];
    if (!field.description) throw new Error(`config-docs: ${name} has no .describe() in src/config/config.schema.ts`);
    const { schema, defaultValue, transformed } = unwrap(field);
    const type = typeOf(schema, transformed) + (secrets.has(name) ? ', **secret**' : '');
    return `| \`${name}\` | ${cell(type)} | ${cell(defaultText(name, defaultValue))} | ${cell(field.description)} |`;
  });
  const markdown = [
    '<!-- Generated by scripts/config-docs.mjs from src/config/config.schema.ts: run `npm run docs:config`. Do not edit. -->',
    '',
    '# Configuration',
    '',
    'paios reads its settings from environment variables, or from a `.env` file in the working directory',
    '(a variable set in the environment wins over the file). An empty value counts as unset. Every value is',
    'checked once at start: a bad one stops paios with a message naming the variable and what it expects,',
    'never the value itself. Settings marked **secret** are credentials: keep them out of shared files.',
    '',
    'A boolean is `true`/`false`, `1`/`0` or `yes`/`no`. A duration is a whole number followed by `s`, `m`, `h`',
    'or `d`, such as `30m` or `12h`. A list separates its entries with commas.',
    '',
    `${names.length} settings, in the order of the schema:`,
    '',
    '| Variable | Type | Default | What it does |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  const options = (await prettier.resolveConfig(CONFIGURATION_MD)) ?? {};
  return prettier.format(markdown, { ...options, filepath: CONFIGURATION_MD });
}

async function main() {
  const check = process.argv.includes('--check');
  const built = join(root, 'dist', 'config', 'config.schema.js');
  const { envSchema, SECRET_SETTINGS } = await import(pathToFileURL(built).href).catch((err) => {
    throw new Error(`config-docs: cannot load ${built} (run \`npx nest build\` first): ${err.message}`);
  });
  const wanted = await renderConfigDocs(envSchema, SECRET_SETTINGS);
  if (!check) {
    await writeFile(CONFIGURATION_MD, wanted);
    console.log(`wrote ${CONFIGURATION_MD}`);
    return;
  }
  const current = await readFile(CONFIGURATION_MD, 'utf8').catch(() => '');
  if (current !== wanted) {
    console.error('docs/configuration.md is out of date with src/config/config.schema.ts: run `npm run docs:config`');
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
