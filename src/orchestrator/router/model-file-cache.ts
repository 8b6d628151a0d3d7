import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCache } from './linear-classifier.js';

/**
 * Trained router models kept as files `router-<key>.bin` in the cache directory, so a start (or a CLI
 * command, or another data dir on the same machine) with the same tool catalog loads the model in
 * milliseconds instead of training it again. Only the newest few are kept. A cache that cannot be read
 * or written is no cache: the model is trained and paios goes on.
 */
export class ModelFileCache implements ModelCache {
  constructor(
    private readonly dir: string,
    private readonly keep = 6,
  ) {}

  read(key: string): Uint8Array | undefined {
    try {
      return readFileSync(this.path(key));
    } catch {
      return undefined;
    }
  }

  write(key: string, bytes: Uint8Array): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      // Written aside and renamed: a reader never sees half a file, and two writers end with a whole one.
      const partial = join(this.dir, `.router-${key}.${process.pid}.part`);
      writeFileSync(partial, bytes, { mode: 0o600 });
      renameSync(partial, this.path(key));
      this.prune();
    } catch {
      // read-only home, full disk: training again next time is the only cost
    }
  }

  private path(key: string): string {
    return join(this.dir, `router-${key}.bin`);
  }

  private prune(): void {
    const models = readdirSync(this.dir)
      .filter((f) => /^router-[0-9a-f]+\.bin$/.test(f))
      .map((f) => ({ f, at: statSync(join(this.dir, f)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const { f } of models.slice(this.keep)) rmSync(join(this.dir, f), { force: true });
  }
}
