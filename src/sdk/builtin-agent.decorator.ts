import { SetMetadata } from '@nestjs/common';
import type { AgentDefinition } from './agent.contract.js';

export const BUILTIN_AGENT = 'paios:builtin-agent';

/**
 * Marks a provider as a built-in agent. The registry collects every such provider at start-up and
 * serves its definition as an MCP server.
 */
export const BuiltinAgent = (): ClassDecorator => SetMetadata(BUILTIN_AGENT, true);

export interface AgentProvider {
  definition(): AgentDefinition;
}
