import type { AgentCommand, AgentResponse } from './agent.contract.js';

/**
 * The seed's agent lifecycle, as one handle on one agent for one user. Behind it: the registry
 * (initialize, updateConfig and cleanup are hot swaps), the executor (execute goes through MCP
 * tools/call), the router (processVoiceCommand), agent-to-agent MCP calls (sendMessage) and
 * agent_memory (saveMemory, getMemory).
 */
export abstract class MCPAgent {
  abstract readonly agentNumber: number;
  abstract readonly name: string;
  abstract readonly description: string;

  /** Starts (or restarts) the agent with this configuration. */
  abstract initialize(config: Record<string, unknown>): Promise<void>;
  abstract execute(command: AgentCommand): Promise<AgentResponse>;
  /** Stops the agent (its slot stays, disabled). */
  abstract cleanup(): Promise<void>;

  /** Routes the words to one of this agent's tools, runs it, and answers in words. */
  abstract processVoiceCommand(text: string): Promise<string>;
  /** Calls `data.tool` of another agent through MCP, recorded as MCPMessage envelopes. */
  abstract sendMessage(
    targetAgent: string | number,
    data: { tool: string; parameters?: Record<string, unknown> },
  ): Promise<AgentResponse>;
  /** Merges the configuration and restarts the agent (hot swap, journaled, reversible). */
  abstract updateConfig(newConfig: Record<string, unknown>): Promise<void>;

  /**
   * Remembers `content` under `type` for this user; it is forgotten after `ttlSeconds` (never when
   * absent), and read back before less `relevance` (default 1.0).
   */
  abstract saveMemory(type: string, content: unknown, ttlSeconds?: number, relevance?: number): Promise<void>;
  /** What is remembered under `type` and not expired, most relevant (then newest) first. */
  abstract getMemory(type: string): Promise<unknown[]>;
}
