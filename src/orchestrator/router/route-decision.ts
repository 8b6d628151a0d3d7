import type { ToolInfo } from '../registry/agent-spec.js';
import type { Entity } from './entity-extractor.js';

/**
 * `choice`: the person picked this tool from a clarifying question about the same request; `memory`:
 * the conversation repeated its last call for someone else ("the same for Globex").
 */
export type RouteVia = 'address' | 'channel' | 'nlu' | 'llm' | 'choice' | 'memory' | 'none';

export interface RouteChoice {
  agentNumber: number;
  agentName: string;
  tool: string;
  description: string;
  score: number;
}

/**
 * What the router decided for a message, and why. Executable when agentNumber and tool are set and
 * there is no clarification; otherwise `clarification.question` is what to ask the person.
 */
export interface RouteDecision {
  text: string;
  agentNumber: number | null;
  agentName: string | null;
  tool: string | null;
  parameters: Record<string, unknown>;
  confidence: number;
  via: RouteVia;
  /** The local model's scores, best first (explainability). */
  scores: { agentNumber: number; tool: string; score: number }[];
  entities: Entity[];
  missing: string[];
  clarification?: { question: string; choices: RouteChoice[] };
  /** The LLM's own words, when it answered instead of choosing a tool. */
  llmReply?: string;
  /**
   * The request needs several tools: the model works through these (the local router's best
   * candidates, never a sensitive tool) step by step; nothing is executable on its own.
   */
  loop?: ToolInfo[];
  /** Said with the answer, whatever it is: a budget of AI use is nearly used up. */
  notice?: string;
  /**
   * Set only when nothing will run (a question back) and the words are nearest to a tool declared
   * sensitive: they may hold a secret. When a tool runs, its response's `sensitive` decides instead.
   */
  sensitive?: boolean;
}

export const isExecutable = (d: RouteDecision): boolean =>
  d.agentNumber !== null && d.tool !== null && d.clarification === undefined;

/** An LLM that picks a tool from the catalog (tool calling through the model port). */
export interface LlmRouter {
  readonly provider: string;
  choose(
    text: string,
    tools: { agentNumber: number; name: string; description: string; inputSchema: Record<string, unknown> }[],
    /** Whose request it is: the call counts against their budget. */
    ctx: { userId?: string },
  ): Promise<
    ({ agentNumber: number; tool: string; parameters: Record<string, unknown> } | { reply: string }) & {
      budgetWarning?: string;
    }
  >;
}

export const LLM_ROUTER = Symbol('LLM_ROUTER');
