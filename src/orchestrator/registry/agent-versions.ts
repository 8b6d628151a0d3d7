import type { AgentDefinition } from '../../sdk/agent.contract.js';
import { specNumber, specVersion, type AgentSpec } from './agent-spec.js';
import type { AgentSlotState } from './modification.store.js';

/**
 * Every version of every agent this process knows, by number and version: built-in definitions,
 * plugins, and external servers as the journal recorded them. Install, upgrade and rollback pick
 * their version here.
 */
export class AgentVersions {
  private readonly specs = new Map<string, AgentSpec>();

  add(spec: AgentSpec): void {
    this.specs.set(`${specNumber(spec)}@${specVersion(spec)}`, spec);
  }

  has(number: number, version: string): boolean {
    return this.specs.has(`${number}@${version}`);
  }

  /** The spec a journaled state runs; an external server is known from the state alone. */
  forState(state: AgentSlotState): AgentSpec | undefined {
    const known = this.specs.get(`${state.agentNumber}@${state.version}`);
    if (known) return known;
    if (state.source.kind === 'external') {
      const spec: AgentSpec = {
        kind: 'external',
        number: state.agentNumber,
        name: state.name,
        description: state.source.description,
        version: state.version,
        transport: state.source.transport,
      };
      this.add(spec);
      return spec;
    }
    return undefined;
  }

  /** The highest known version of an agent (numeric comparison: 1.10.0 is after 1.9.0). */
  latest(number: number): AgentSpec | undefined {
    const versions = [...this.specs.values()].filter((s) => specNumber(s) === number);
    return versions.sort((a, b) => specVersion(b).localeCompare(specVersion(a), undefined, { numeric: true }))[0];
  }
}

/** The state of a built-in agent nobody has changed yet: enabled, default configuration. */
export function defaultState(definition: AgentDefinition): AgentSlotState {
  return {
    agentNumber: definition.manifest.number,
    name: definition.manifest.name,
    version: definition.manifest.version,
    enabled: true,
    config: {},
    source: { kind: 'builtin' },
  };
}
