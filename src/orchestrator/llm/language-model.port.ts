import type { z } from 'zod';
import type {
  AgentLanguageModel,
  LlmProvider,
  LlmRequest,
  LlmResult,
  LlmStream,
} from '../../sdk/language-model.contract.js';

export type {
  AgentLanguageModel,
  LlmMessage,
  LlmProvider,
  LlmRequest,
  LlmResult,
  LlmStream,
  LlmTool,
  LlmToolCall,
  LlmUsage,
} from '../../sdk/language-model.contract.js';

/**
 * The one model port: whoever needs a language model (the router, agents, the tool loop) asks this,
 * never a provider SDK. Implementations: OpenAI, Anthropic and any OpenAI-compatible local server
 * (Ollama, llama.cpp, vLLM) behind one service that adds timeouts, retries, budgets and usage. The
 * request and result shapes live in the agent SDK (src/sdk/language-model.contract.ts).
 */

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

/** The port bound to one person and one agent: what a tool gets as `ctx.llm`. */
export function bindModel(model: LanguageModel, ctx: LlmCallContext): AgentLanguageModel {
  return {
    provider: model.provider,
    model: model.model,
    complete: (request) => model.complete(request, ctx),
    structured: (request, schema, options) => model.structured(request, schema, ctx, options),
    stream: (request) => model.stream(request, ctx),
  };
}
