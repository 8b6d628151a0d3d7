#!/usr/bin/env node
// Entry point of the `paios` command: runs the compiled CLI in dist/ (built by `npm install`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('paios: not built yet; run `npm run build` (npm install does it too)');
  process.exit(1);
}
await import(cli.href);
