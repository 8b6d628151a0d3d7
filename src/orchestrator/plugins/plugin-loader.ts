import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { defineAgent, defineTool, type AgentDefinition } from '../../sdk/agent.contract.js';
import { ToolError } from '../../sdk/tool-error.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { AgentRegistry } from '../registry/agent-registry.js';

/** What a plugin's default export receives, so that a plugin file needs no imports of its own. */
export interface PluginKit {
  z: typeof z;
  defineAgent: typeof defineAgent;
  defineTool: typeof defineTool;
  ToolError: typeof ToolError;
}

const KIT: PluginKit = { z, defineAgent, defineTool, ToolError };
const PLUGIN_FILE = /\.(mjs|js)$/;

/**
 * Agents dropped into PAIOS_PLUGINS_DIR as `.mjs`/`.js` files whose default export is
 * `(kit) => defineAgent({...})`. Loaded at start; a changed file is loaded again and hot-swapped in
 * (its version gets the file's content hash as build metadata); a removed file disables its agent.
 * A file that fails to load is reported and changes nothing.
 */
@Injectable()
export class PluginLoader implements OnApplicationShutdown {
  private readonly logger = new Logger('Plugins');
  private watcher?: FSWatcher;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** file -> agent number it provided */
  private readonly loaded = new Map<string, number>();
  private pending = Promise.resolve();

  constructor(
    private readonly registry: AgentRegistry,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  get dir(): string {
    return resolve(this.config.pluginsDir);
  }

  /** Reads every plugin at start-up; the registry boots them with the built-in agents. */
  async loadAll(): Promise<AgentDefinition[]> {
    if (!existsSync(this.dir)) mkdirSync(this.dir, { recursive: true });
    const definitions: AgentDefinition[] = [];
    for (const file of readdirSync(this.dir)
      .filter((f) => PLUGIN_FILE.test(f))
      .sort()) {
      try {
        const definition = await this.read(file);
        this.loaded.set(file, definition.manifest.number);
        definitions.push(definition);
      } catch (err) {
        this.logger.error(`${file} was not loaded: ${(err as Error).message}`);
      }
    }
    return definitions;
  }

  /** From now on, changed files are loaded again and swapped in. */
  watch(): void {
    this.watcher = watch(this.dir, (_event, file) => {
      if (!file || !PLUGIN_FILE.test(file)) return;
      clearTimeout(this.timers.get(file));
      // Editors write in several steps: act once the file has been quiet for a moment.
      this.timers.set(
        file,
        setTimeout(() => {
          this.timers.delete(file);
          this.pending = this.pending.then(() => this.load(file));
        }, 250),
      );
    });
  }

  onApplicationShutdown(): void {
    this.watcher?.close();
    for (const t of this.timers.values()) clearTimeout(t);
  }

  /** Waits for reloads already triggered (tests, shutdown). */
  settled(): Promise<void> {
    return this.pending;
  }

  private async load(file: string): Promise<void> {
    const path = join(this.dir, file);
    if (!existsSync(path)) {
      const number = this.loaded.get(file);
      this.loaded.delete(file);
      if (number !== undefined && this.registry.get(number)?.enabled) {
        await this.registry.disable(number).catch((err: Error) => this.logger.error(err.message));
        this.logger.log(`${file} removed: agent #${number} disabled`);
      }
      return;
    }
    try {
      const versioned = await this.read(file);
      const { number, version } = versioned.manifest;
      const current = this.registry.get(number);
      if (current?.version === version && current.enabled) return; // unchanged
      this.registry.addSpec({ kind: 'builtin', definition: versioned });
      if (!current) await this.registry.register({ kind: 'builtin', definition: versioned });
      else {
        if (current.version !== version) await this.registry.upgrade(number, version);
        if (!this.registry.get(number)?.enabled) await this.registry.enable(number);
      }
      this.loaded.set(file, number);
      this.logger.log(`${file}: agent #${number} ${versioned.manifest.name} ${version} loaded`);
    } catch (err) {
      this.logger.error(`${file} was not loaded: ${(err as Error).message}`);
    }
  }

  private async read(file: string): Promise<AgentDefinition> {
    const path = join(this.dir, file);
    const hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 8);
    const mod = (await import(`${pathToFileURL(path).href}?v=${hash}`)) as { default?: unknown };
    if (typeof mod.default !== 'function')
      throw new Error('its default export must be a function (kit) => defineAgent({...})');
    const definition = (mod.default as (kit: PluginKit) => AgentDefinition)(KIT);
    return { ...definition, manifest: { ...definition.manifest, version: `${definition.manifest.version}+${hash}` } };
  }
}
