import type { AgentInstance, InstanceState } from './agent-instance.js';
import { specDescription, type AgentSpec } from './agent-spec.js';
import type { AgentSlotState } from './modification.store.js';
import { redactConfig } from './slot-redaction.js';

/** One agent number in the registry: its recorded state, the running instance and those draining. */
export interface Slot {
  state: AgentSlotState;
  spec: AgentSpec;
  current?: AgentInstance;
  draining: Set<AgentInstance>;
  /** Changes to one slot run one after another. */
  queue: Promise<unknown>;
}

export interface SlotView {
  agentNumber: number;
  name: string;
  description: string;
  version: string;
  state: InstanceState | 'disabled';
  enabled: boolean;
  inFlight: number;
  source: 'builtin' | 'external';
  /** As the owner may see it: values of secret-looking keys are "[redacted]" (see slot-redaction). */
  config: Record<string, unknown>;
  tools: string[];
}

/** A slot with nothing running yet. */
export function newSlot(state: AgentSlotState, spec: AgentSpec): Slot {
  return { state, spec, draining: new Set(), queue: Promise.resolve() };
}

export function slotView(number: number, slot: Slot): SlotView {
  const draining = [...slot.draining].reduce((n, i) => n + i.inFlight, 0);
  return {
    agentNumber: number,
    name: slot.state.name,
    description: specDescription(slot.spec),
    version: slot.state.version,
    state: slot.current?.state ?? (slot.state.enabled ? 'failed' : 'disabled'),
    enabled: slot.state.enabled,
    inFlight: (slot.current?.inFlight ?? 0) + draining,
    source: slot.spec.kind,
    config: redactConfig(slot.state.config, 'owner'),
    tools: slot.current?.tools.map((t) => t.name) ?? [],
  };
}
