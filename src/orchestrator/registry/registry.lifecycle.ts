import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { BUILTIN_AGENT, type AgentProvider } from '../../sdk/builtin-agent.decorator.js';
import { PluginLoader } from '../plugins/plugin-loader.js';
import { AgentRegistry } from './agent-registry.js';

/**
 * Collects the @BuiltinAgent providers and the plugins at start-up, boots the registry, then watches
 * the plugins; stops agents first at shutdown.
 */
@Injectable()
export class RegistryLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly registry: AgentRegistry,
    private readonly plugins: PluginLoader,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const definitions = this.discovery
      .getProviders()
      .filter((w) => w.metatype && w.instance && this.reflector.get<boolean>(BUILTIN_AGENT, w.metatype))
      .map((w) => (w.instance as AgentProvider).definition());
    await this.registry.boot([...definitions, ...(await this.plugins.loadAll())]);
    this.plugins.watch();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.registry.shutdown();
  }
}
