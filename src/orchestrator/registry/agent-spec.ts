import type { AgentDefinition, Entity, ToolAnnotations } from '../../sdk/agent.contract.js';

/** How to reach an external MCP server that acts as a paios agent. */
export type ExternalTransport =
  | { type: 'stdio'; command: string; args?: string[]; env?: Record<string, string>; cwd?: string }
  | { type: 'http'; url: string; headers?: Record<string, string> };

/** Everything needed to start one version of an agent. */
export type AgentSpec =
  | { kind: 'builtin'; definition: AgentDefinition }
  | {
      kind: 'external';
      number: number;
      name: string;
      description: string;
      version: string;
      transport: ExternalTransport;
    };

export function specNumber(spec: AgentSpec): number {
  return spec.kind === 'builtin' ? spec.definition.manifest.number : spec.number;
}

export function specName(spec: AgentSpec): string {
  return spec.kind === 'builtin' ? spec.definition.manifest.name : spec.name;
}

export function specVersion(spec: AgentSpec): string {
  return spec.kind === 'builtin' ? spec.definition.manifest.version : spec.version;
}

export function specDescription(spec: AgentSpec): string {
  return spec.kind === 'builtin' ? spec.definition.manifest.description : spec.description;
}

/** A catalog entry: one tool of one agent, as the router, the LLM and MCP clients see it. */
export interface ToolInfo {
  agentNumber: number;
  agentName: string;
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  inputSchema: Record<string, unknown>;
  examples: string[];
  cacheTtlSeconds?: number;
  sensitive: boolean;
  /** MCP annotations as the server declared them; an outside server may leave any out (then: not read-only). */
  annotations: Partial<ToolAnnotations>;
  /** Built-in tools only: the tool's own reading of a message (runs in this process). */
  extract?: (text: string, entities: Entity[]) => Record<string, unknown>;
}
