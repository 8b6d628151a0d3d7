import type { z } from 'zod';

/**
 * The one model port: whoever needs a language model (the router, agents, the tool loop) asks this,
 * never a provider SDK. Implementations: OpenAI, Anthropic and any OpenAI-compatible local server
 * (Ollama, llama.cpp, vLLM) behind one service that adds timeouts, retries, budgets and usage.
 *
 * The conversation shape is provider-neutral and carries tool calls and their results, so a
 * multi-step tool loop is a loop over `complete`: append the assistant's `toolCalls`, then one
 * `tool` message per call, and ask again.
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

/** Who a call is for: usage is recorded against them and their budgets are checked first. */
export interface LlmCallContext {
  /** The paios user the call serves; absent for system work (then only agent budgets apply). */
  userId?: string;
  /** The agent that asked; absent for the router. */
  agentNumber?: number;
  /** What the call was for, as recorded (`route`, `summarise`, ...). */
  purpose: string;
  signal?: AbortSignal;
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

export abstract class LanguageModel {
  abstract readonly provider: LlmProvider;
  abstract readonly model: string;

  /** One answer: words, tool calls, or both. */
  abstract complete(request: LlmRequest, ctx: LlmCallContext): Promise<LlmResult>;

  /**
   * An answer shaped by `schema`: the model is asked for JSON only; an answer that does not parse or
   * validate is shown back to the model with what was wrong, up to `attempts` times (default 2).
   */
  abstract structured<T>(
    request: LlmRequest,
    schema: z.ZodType<T>,
    ctx: LlmCallContext,
    options?: { attempts?: number },
  ): Promise<{ value: T; result: LlmResult }>;

  /** The answer as it is written, delta by delta (text only; tools are not offered). */
  abstract stream(request: LlmRequest, ctx: LlmCallContext): LlmStream;
}
