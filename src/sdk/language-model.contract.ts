import type { z } from 'zod';

/**
 * The words of the model port, shared by the orchestrator (which implements it) and agents (which
 * reach it as `ToolContext.llm`): a provider-neutral conversation with tool calls and their results,
 * so a multi-step tool loop is a loop over `complete` (append the assistant's `toolCalls`, then one
 * `tool` message per call, and ask again).
 */

/** A tool offered to the model: a name (letters, digits, _ and -), what it does, JSON Schema of its arguments. */
export interface LlmTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A tool the model asked to call; `id` pairs it with the `tool` message that answers it. */
export interface LlmToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type LlmMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: LlmToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

export interface LlmRequest {
  /** Instructions for the whole exchange (OpenAI: a system message; Anthropic: `system`). */
  system?: string;
  messages: LlmMessage[];
  tools?: LlmTool[];
  /** `auto` (default when tools are given): the model may answer in words instead; `required`: it must call one. */
  toolChoice?: 'auto' | 'required' | 'none';
  maxTokens?: number;
  temperature?: number;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface LlmResult {
  /** The model's words (empty when it only called tools). */
  text: string;
  toolCalls: LlmToolCall[];
  usage: LlmUsage;
  model: string;
  provider: LlmProvider;
  /** `tool_calls`: answer the calls and ask again; `length`: cut off at maxTokens. */
  finish: 'stop' | 'tool_calls' | 'length';
  /** Set once a budget passes its warning mark (80%): say it to the person. */
  budgetWarning?: string;
}

/** `openai-compatible`: a local or other server speaking the OpenAI API (costs nothing here). */
export type LlmProvider = 'openai' | 'openai-compatible' | 'anthropic';

/** A stream of text deltas; `done` resolves with the whole answer once the stream has ended. */
export interface LlmStream extends AsyncIterable<string> {
  readonly done: Promise<LlmResult>;
}

/** The model as an agent sees it: bound to the person served and the agent asking (both budgets apply). */
export interface AgentLanguageModel {
  readonly provider: LlmProvider;
  readonly model: string;
  complete(request: LlmRequest): Promise<LlmResult>;
  structured<T>(
    request: LlmRequest,
    schema: z.ZodType<T>,
    options?: { attempts?: number },
  ): Promise<{ value: T; result: LlmResult }>;
  stream(request: LlmRequest): LlmStream;
}

/** Why a model call did not give an answer; the caller decides what the person hears. */
export enum LlmErrorCode {
  /** A budget of the person or the agent is used up: no call was made. */
  BudgetExhausted = 'LLM_BUDGET_EXHAUSTED',
  /** The provider refused the request (bad key, bad request, rate limit after every retry). */
  Refused = 'LLM_REFUSED',
  /** The provider could not be reached or did not answer in time. */
  Unreachable = 'LLM_UNREACHABLE',
  /** The answer did not have the shape asked for, after every attempt. */
  BadOutput = 'LLM_BAD_OUTPUT',
}

/** A failed model call; `message` is fit to show the person (a budget refusal says when it renews). */
export class LlmError extends Error {
  override name = 'LlmError';

  constructor(
    readonly code: LlmErrorCode,
    message: string,
    /** HTTP status of the provider's refusal, when there was one. */
    readonly status?: number,
  ) {
    super(message);
  }
}
