#!/usr/bin/env node
// Builds dist/ with `nest build`, and with `--if-stale` only when something it is built from changed
// since the last build: `npm start` and `npm test` then cost nothing when nothing changed. The last
// build leaves dist/.build-stamp, holding what it was built from (every source file's path, size and
// modification time, hashed); a different list, or no stamp, means build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampFile = join(root, 'dist', '.build-stamp');
const inputs = ['package.json', 'package-lock.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json'];

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

function fingerprint() {
  const hash = createHash('sha256');
  const paths = [...files(join(root, 'src')), ...inputs.map((f) => join(root, f)).filter((f) => existsSync(f))];
  for (const path of paths.sort()) {
    const { size, mtimeMs } = statSync(path);
    hash.update(`${relative(root, path)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

const ifStale = process.argv.includes('--if-stale');
const before = fingerprint();
if (ifStale && existsSync(join(root, 'dist', 'cli.js')) && existsSync(stampFile)) {
  if (readFileSync(stampFile, 'utf8').trim() === before) process.exit(0);
}
const nest = join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
const result = spawnSync(process.execPath, [nest, 'build'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
// What was built from: the fingerprint taken before the build, so an edit made during it builds again.
writeFileSync(stampFile, `${before}\n`);
