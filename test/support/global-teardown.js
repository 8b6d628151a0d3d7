import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  if (globalThis.__paiosTemplateRoot) rmSync(globalThis.__paiosTemplateRoot, { recursive: true, force: true });
}
