import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { envSchema, SECRET_SETTINGS } from '../../src/config/config.schema.js';

/**
 * The documentation a newcomer reads: the README stays short, docs/configuration.md says exactly what
 * the config schema accepts, and no relative link in README.md or docs/ leads nowhere.
 */
const root = resolve(import.meta.dirname, '..', '..');
const generator = join(root, 'scripts', 'config-docs.mjs');

type RenderConfigDocs = (schema: z.ZodObject, secrets: readonly string[]) => Promise<string>;
async function renderConfigDocs(): Promise<RenderConfigDocs> {
  const mod = (await import(generator)) as { renderConfigDocs: RenderConfigDocs };
  return mod.renderConfigDocs;
}

function markdownFiles(): string[] {
  const found = [join(root, 'README.md')];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) found.push(path);
    }
  };
  walk(join(root, 'docs'));
  return found;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = heading!
      .replace(/`/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Relative links ([text](target) and <img src>) of a markdown file, outside code. */
function relativeLinks(markdown: string): string[] {
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const targets = [
    ...[...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!),
    ...[...text.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1]!),
  ];
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe('documentation', () => {
  it('docs/configuration.md is what `npm run docs:config` generates from the config schema', async () => {
    const render = await renderConfigDocs();
    const onDisk = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
    // On failure: run `npm run docs:config` and commit docs/configuration.md.
    expect(onDisk).toBe(await render(envSchema, SECRET_SETTINGS));
  });

  it('lists every setting with its default and description, marking secrets', async () => {
    const page = await (await renderConfigDocs())(envSchema, SECRET_SETTINGS);
    for (const name of Object.keys(envSchema.shape)) expect(page).toContain(`| \`${name}\``);
    const row = (name: string) => page.split('\n').find((l) => l.startsWith(`| \`${name}\``))!;
    expect(row('PORT')).toMatch(/\| integer 0–65535 +\| `3000` +\| Port the API listens on/);
    expect(row('PAIOS_PROCESS_JOBS')).toMatch(/\| boolean +\| `true` +\|/);
    expect(row('TELEGRAM_BOT_TOKEN')).toContain('**secret**');
    expect(row('PAIOS_TIMEZONE')).toContain("the machine's time zone");
  });

  it('would notice a new setting, and refuses one without a description', async () => {
    const render = await renderConfigDocs();
    const grown = envSchema.extend({ PAIOS_NEW_SETTING: z.string().default('x').describe('Something new.') });
    const page = await render(grown, SECRET_SETTINGS);
    expect(page).toContain('`PAIOS_NEW_SETTING`');
    expect(page).not.toBe(readFileSync(join(root, 'docs', 'configuration.md'), 'utf8'));
    await expect(render(envSchema.extend({ PAIOS_UNDESCRIBED: z.string().optional() }), [])).rejects.toThrow(
      /PAIOS_UNDESCRIBED has no \.describe\(\)/,
    );
  });

  it('keeps the README a five-minute read', () => {
    expect(statSync(join(root, 'README.md')).size).toBeLessThan(8 * 1024);
  });

  it('has no relative link in README.md or docs/ that leads nowhere', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      for (const link of relativeLinks(readFileSync(file, 'utf8'))) {
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path ? resolve(dirname(file), decodeURIComponent(path)) : file;
        const where = `${relative(root, file)} -> ${link}`;
        if (!existsSync(target)) broken.push(`${where} (no such file)`);
        else if (anchor && target.endsWith('.md') && !anchorsOf(readFileSync(target, 'utf8')).has(anchor))
          broken.push(`${where} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
