import { Logger } from '@nestjs/common';
import type { AgentDefinition } from '../../sdk/agent.contract.js';
import { DomainError, ErrorCode } from '../../common/errors.js';
import type { BuiltinAgentServices } from '../mcp/agent-mcp-server.js';
import { AgentInstance } from './agent-instance.js';
import { newSlot, slotView, type Slot, type SlotView } from './agent-slot.js';
import { specName, specNumber, specVersion, type AgentSpec, type ToolInfo } from './agent-spec.js';
import { AgentVersions, defaultState } from './agent-versions.js';
import type { AgentSlotState, ModificationStore, ModificationType, ModificationView } from './modification.store.js';
import { redactModification, type Audience } from './slot-redaction.js';
import type { OutboundClient } from '../outbound/outbound.client.js';

export interface RegistryOptions {
  /** Longest a start plus health check may take. */
  startTimeoutMs: number;
  /** Longest a swapped-out instance may keep serving calls already in flight. */
  drainTimeoutMs: number;
  /** Connections to outside MCP servers over HTTP go through it (a strict one when absent). */
  outbound?: OutboundClient;
}

export type { SlotView } from './agent-slot.js';

export interface Lease {
  instance: AgentInstance;
  release(): void;
}

/**
 * Agent slots by number, each with its running instance. Every change (register, enable, disable,
 * reconfigure, upgrade, rollback) is a hot swap: the new instance starts and passes its health check
 * before it takes traffic, the old one drains its calls in flight, and a failed start leaves the old
 * one serving. Each change is journaled in system_modifications and can be rolled back.
 */
export class AgentRegistry {
  private readonly logger = new Logger('AgentRegistry');
  private readonly slots = new Map<number, Slot>();
  /** Every version of every agent this process knows. */
  private readonly versions = new AgentVersions();
  private readonly listeners = new Set<() => void>();
  private readonly journalListeners = new Set<(mod: ModificationView) => void>();

  constructor(
    private readonly journal: ModificationStore,
    private readonly services: BuiltinAgentServices,
    private readonly options: RegistryOptions,
  ) {}

  /** Makes a version available for install, upgrade and rollback (built-in definitions, plugins). */
  addSpec(spec: AgentSpec): void {
    this.versions.add(spec);
  }

  /**
   * Start-up: offers every built-in definition and restores the journaled state of each agent
   * (enabled, configuration, version, external agents). Agents that fail to start are logged and
   * left stopped, never fatal: one broken agent must not take paios down.
   */
  async boot(definitions: AgentDefinition[]): Promise<void> {
    for (const definition of definitions) this.addSpec({ kind: 'builtin', definition });
    const saved = await this.journal.latestStates();
    const numbers = new Set([...definitions.map((d) => d.manifest.number), ...saved.keys()]);
    for (const number of [...numbers].sort((a, b) => a - b)) {
      const state = saved.get(number) ?? defaultState(definitions.find((d) => d.manifest.number === number)!);
      const spec = this.versions.forState(state) ?? this.versions.latest(number);
      if (!spec) {
        this.logger.warn(`agent #${number} ${state.name} ${state.version} is recorded but not available; skipped`);
        continue;
      }
      const slot = newSlot({ ...state, version: specVersion(spec) }, spec);
      this.slots.set(number, slot);
      if (state.enabled) {
        const instance = new AgentInstance(spec, state.config, this.services, this.options.outbound);
        try {
          await instance.start(this.options.startTimeoutMs);
          slot.current = instance;
        } catch (err) {
          this.logger.error((err as Error).message);
        }
      }
    }
    this.logger.log(
      `agents: ${
        this.list()
          .map((s) => `#${s.agentNumber} ${s.name} ${s.version} ${s.state}`)
          .join(', ') || 'none'
      }`,
    );
    this.changed();
  }

  /** Registers a new agent (an external MCP server, or a built-in version not yet installed). */
  async register(
    spec: AgentSpec,
    config: Record<string, unknown> = {},
    userId: string | null = null,
  ): Promise<SlotView> {
    const number = specNumber(spec);
    const existing = this.slots.get(number);
    if (existing && specName(existing.spec) !== specName(spec)) {
      throw new DomainError(ErrorCode.Conflict, `agent #${number} is already ${specName(existing.spec)}`);
    }
    this.addSpec(spec);
    const state: AgentSlotState = {
      agentNumber: number,
      name: specName(spec),
      version: specVersion(spec),
      enabled: true,
      config,
      source:
        spec.kind === 'builtin'
          ? { kind: 'builtin' }
          : { kind: 'external', description: spec.description, transport: spec.transport },
    };
    return this.apply(number, state, 'agent.register', userId);
  }

  enable(number: number, userId: string | null = null): Promise<SlotView> {
    return this.apply(number, { ...this.slotOf(number).state, enabled: true }, 'agent.enable', userId);
  }

  disable(number: number, userId: string | null = null): Promise<SlotView> {
    return this.apply(number, { ...this.slotOf(number).state, enabled: false }, 'agent.disable', userId);
  }

  /** The seed's updateConfig: merges, validates, and restarts the agent with the new configuration. */
  reconfigure(number: number, config: Record<string, unknown>, userId: string | null = null): Promise<SlotView> {
    const slot = this.slotOf(number);
    return this.apply(
      number,
      { ...slot.state, config: { ...slot.state.config, ...config } },
      'agent.reconfigure',
      userId,
    );
  }

  /** Switches an agent to another known version (hot swap). */
  upgrade(number: number, version: string, userId: string | null = null): Promise<SlotView> {
    const slot = this.slotOf(number);
    if (!this.versions.has(number, version)) {
      throw new DomainError(ErrorCode.NotFound, `agent #${number} has no version ${version}`);
    }
    return this.apply(number, { ...slot.state, version }, 'agent.upgrade', userId);
  }

  /** Restores the state recorded before modification `id`, as a new journaled change. */
  async rollback(id: string, userId: string | null = null): Promise<SlotView> {
    const mod = await this.journal.get(id);
    if (!mod || !mod.type.startsWith('agent.'))
      throw new DomainError(ErrorCode.NotFound, `modification ${id} not found`);
    if (!mod.rollbackAvailable) throw new DomainError(ErrorCode.Conflict, `modification ${id} cannot be rolled back`);
    const target = mod.before ?? (mod.after ? { ...mod.after, enabled: false } : null);
    if (!target) throw new DomainError(ErrorCode.Conflict, `modification ${id} recorded no state to restore`);
    return this.apply(target.agentNumber, target, 'agent.rollback', userId);
  }

  /**
   * The journal as `audience` may see it: secrets of outside servers never leave redacted; others
   * than the owner see no configuration values at all. Rollback reads the real states itself.
   */
  async history(audience: Audience, limit?: number): Promise<ModificationView[]> {
    return (await this.journal.list(limit)).map((m) => redactModification(m, audience));
  }

  /** The running instance of an agent, counted in flight until released. */
  acquire(number: number): Lease {
    const slot = this.slots.get(number);
    if (!slot) throw new DomainError(ErrorCode.NotFound, `there is no agent #${number}`);
    const instance = slot.current;
    if (!instance || instance.state !== 'active') {
      throw new DomainError(
        ErrorCode.Conflict,
        `agent #${number} ${slot.state.name} is ${slot.state.enabled ? 'not running' : 'disabled'}`,
      );
    }
    return { instance, release: instance.lease() };
  }

  has(number: number): boolean {
    return this.slots.has(number);
  }

  get(number: number): SlotView | undefined {
    const slot = this.slots.get(number);
    return slot ? slotView(number, slot) : undefined;
  }

  findByName(name: string): SlotView | undefined {
    return this.list().find((s) => s.name === name.toLowerCase());
  }

  list(): SlotView[] {
    return [...this.slots.entries()].sort(([a], [b]) => a - b).map(([n, s]) => slotView(n, s));
  }

  /** Every tool of every running agent. */
  catalog(): ToolInfo[] {
    return [...this.slots.values()].flatMap((s) => (s.current?.state === 'active' ? s.current.tools : []));
  }

  /** Names a person may say: agents' names and what running agents know for them (clients, projects). */
  async vocabulary(userId: string): Promise<string[]> {
    const running = [...this.slots.values()].flatMap((s) => (s.current?.state === 'active' ? [s.current] : []));
    const names = await Promise.all(running.map((i) => i.vocabulary(userId).catch(() => [])));
    return [...this.list().map((s) => s.name.replace(/-/g, ' ')), ...names.flat()];
  }

  /** Called after every change (the router retrains). Returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after every change this process journals (other processes are told through Redis). */
  onJournaled(listener: (mod: ModificationView) => void): () => void {
    this.journalListeners.add(listener);
    return () => this.journalListeners.delete(listener);
  }

  /**
   * Applies a change another paios process made and journaled (server mode): the same hot swap,
   * without journaling it again.
   */
  applyRemote(state: AgentSlotState): Promise<SlotView> {
    return this.apply(state.agentNumber, state, null, null);
  }

  async shutdown(): Promise<void> {
    for (const slot of this.slots.values()) {
      await slot.queue.catch(() => undefined);
      const all = [...slot.draining, ...(slot.current ? [slot.current] : [])];
      await Promise.all(all.map(async (i) => (await i.drain(this.options.drainTimeoutMs), await i.stop())));
      slot.current = undefined;
    }
  }

  private apply(
    number: number,
    target: AgentSlotState,
    type: ModificationType | null,
    userId: string | null,
  ): Promise<SlotView> {
    const existed = this.slots.has(number);
    const slot =
      this.slots.get(number) ??
      (() => {
        const spec = this.versions.forState(target);
        if (!spec) throw new DomainError(ErrorCode.NotFound, `there is no agent #${number}`);
        const created = newSlot({ ...target, enabled: false }, spec);
        this.slots.set(number, created);
        return created;
      })();
    const run = slot.queue.then(() => this.swap(number, slot, target, type, userId, existed));
    slot.queue = run.catch(() => {
      // A registration that never started leaves nothing behind.
      if (!existed && !slot.current && this.slots.get(number) === slot) this.slots.delete(number);
    });
    return run;
  }

  private async swap(
    number: number,
    slot: Slot,
    target: AgentSlotState,
    type: ModificationType | null,
    userId: string | null,
    existed: boolean,
  ): Promise<SlotView> {
    const spec = this.versions.forState(target);
    if (!spec) throw new DomainError(ErrorCode.NotFound, `agent #${number} has no version ${target.version}`);
    if (spec.kind === 'builtin') {
      const parsed = spec.definition.manifest.configSchema.safeParse(target.config);
      if (!parsed.success) {
        throw new DomainError(
          ErrorCode.Invalid,
          `invalid configuration for agent #${number}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
        );
      }
    }
    const before = existed ? { ...slot.state } : null;

    let next: AgentInstance | undefined;
    if (target.enabled) {
      next = new AgentInstance(spec, target.config, this.services, this.options.outbound);
      try {
        await next.start(this.options.startTimeoutMs);
      } catch (err) {
        // The slot keeps its current instance and state.
        const serving = slot.current ? `; ${slot.state.version} keeps serving` : '';
        throw new DomainError(ErrorCode.Conflict, `${(err as Error).message}${serving}`);
      }
    }
    let mod: ModificationView | undefined;
    if (type) {
      try {
        mod = await this.journal.record(type, before, { ...target }, userId);
      } catch (err) {
        await next?.stop();
        throw err;
      }
    }
    const old = slot.current;
    slot.current = next;
    slot.spec = spec;
    slot.state = { ...target };
    this.changed();
    if (mod) for (const l of this.journalListeners) l(mod);
    this.logger.log(
      `${type ?? 'remote change'} #${number}: ${before ? `${before.version}${before.enabled ? '' : ' (disabled)'}` : 'new'} -> ${target.version}${target.enabled ? '' : ' (disabled)'} [${mod?.id ?? 'from another process'}]`,
    );

    if (old) {
      slot.draining.add(old);
      const drained = await old.drain(this.options.drainTimeoutMs);
      if (!drained)
        this.logger.warn(
          `agent #${number} ${old.version}: ${old.inFlight} call(s) still running after the drain timeout`,
        );
      await old.stop();
      slot.draining.delete(old);
    }
    return slotView(number, slot);
  }

  private slotOf(number: number): Slot {
    const slot = this.slots.get(number);
    if (!slot) throw new DomainError(ErrorCode.NotFound, `there is no agent #${number}`);
    return slot;
  }

  private changed(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch (err) {
        this.logger.error(`registry listener failed: ${(err as Error).message}`);
      }
    }
  }
}
