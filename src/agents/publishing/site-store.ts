import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import type { SiteFiles } from './site-builder.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** A file of the site as the controller serves it. */
export interface SiteFile {
  body: Buffer;
  type: string;
}

/**
 * The built sites as static files, one folder per person under `<dataDir>/sites/<userId>/`, so any
 * web server can host them too. A build is written beside the live folder and swapped in, so a
 * reader never sees half a site.
 */
export class SiteStore {
  constructor(private readonly root: string) {}

  dir(userId: string): string {
    return join(this.root, userId);
  }

  async write(userId: string, files: SiteFiles): Promise<void> {
    const live = this.dir(userId);
    const next = `${live}.next-${process.pid}-${Date.now()}`;
    for (const [path, content] of files) {
      const target = join(next, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    await mkdir(next, { recursive: true });
    const old = `${live}.old-${process.pid}-${Date.now()}`;
    await rename(live, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(next, live);
    await rm(old, { recursive: true, force: true });
  }

  /** A file of the site by its URL path below /site/ ("" and "pricing/" are their index.html). */
  async read(userId: string, urlPath: string): Promise<SiteFile | undefined> {
    let path: string;
    try {
      path = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    const rel = normalize(`/${path}`).slice(1);
    if (rel.split(sep).some((part) => part === '..' || part.startsWith('.'))) return undefined;
    let file = join(this.dir(userId), rel);
    if (!file.startsWith(this.dir(userId))) return undefined;
    const info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) file = join(file, 'index.html');
    else if (!info) return undefined;
    const body = await readFile(file).catch(() => undefined);
    return body ? { body, type: TYPES[extname(file)] ?? 'application/octet-stream' } : undefined;
  }
}
