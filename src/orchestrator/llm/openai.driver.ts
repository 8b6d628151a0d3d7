import OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import type { LlmProvider, LlmRequest, LlmToolCall } from './language-model.port.js';
import type { DriverResult, DriverStreamEvent, ModelDriver, ProviderFailure } from './model-driver.js';
import { driverStream, finishOf, sdkFailure, withoutTools } from './model-driver.js';

/**
 * OpenAI Chat Completions, and any server that speaks it (Ollama, llama.cpp, vLLM: OPENAI_BASE_URL,
 * no key needed). The SDK's own retries are off: the service retries with the provider's Retry-After.
 */
export class OpenAiDriver implements ModelDriver {
  private readonly client: OpenAI;

  constructor(
    options: { apiKey?: string; baseUrl?: string; timeoutMs: number },
    readonly model: string,
    readonly provider: LlmProvider = 'openai',
  ) {
    this.client = new OpenAI({
      apiKey: options.apiKey ?? 'not-needed',
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: 0,
    });
  }

  async generate(request: LlmRequest, signal: AbortSignal): Promise<DriverResult> {
    const completion = await this.client.chat.completions.create(
      { ...this.params(request), stream: false },
      { signal },
    );
    const choice = completion.choices[0];
    const toolCalls = (choice?.message.tool_calls ?? []).flatMap(toToolCall);
    return {
      text: choice?.message.content?.trim() ?? '',
      toolCalls,
      usage: {
        inputTokens: completion.usage?.prompt_tokens ?? 0,
        outputTokens: completion.usage?.completion_tokens ?? 0,
      },
      model: completion.model || this.model,
      provider: this.provider,
      finish: finishOf(toolCalls, choice?.finish_reason === 'length'),
    };
  }

  async stream(request: LlmRequest, signal: AbortSignal): Promise<AsyncIterable<DriverStreamEvent>> {
    const params = withoutTools(this.params(request));
    const chunks = await this.client.chat.completions.create(
      { ...params, stream: true, stream_options: { include_usage: true } },
      { signal },
    );
    return driverStream(chunks, this.provider, this.model, (chunk, state) => {
      state.model = chunk.model || state.model;
      if (chunk.usage)
        state.usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
      const choice = chunk.choices[0];
      if (choice?.finish_reason === 'length') state.finish = 'length';
      return choice?.delta.content ?? undefined;
    });
  }

  failure(err: unknown): ProviderFailure | undefined {
    return sdkFailure(err, OpenAI);
  }

  private params(request: LlmRequest): ChatCompletionCreateParamsBase {
    const messages: ChatCompletionMessageParam[] = request.system ? [{ role: 'system', content: request.system }] : [];
    for (const m of request.messages) {
      if (m.role === 'tool') messages.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
      else if (m.role === 'user') messages.push({ role: 'user', content: m.content });
      else
        messages.push({
          role: 'assistant',
          content: m.content || null,
          ...(m.toolCalls?.length
            ? {
                tool_calls: m.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function' as const,
                  function: { name: c.name, arguments: JSON.stringify(c.arguments) },
                })),
              }
            : {}),
        });
    }
    const tools = request.tools?.length ? request.tools : undefined;
    return {
      model: this.model,
      messages,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      // Local servers know only the older max_tokens; OpenAI's newer models only max_completion_tokens.
      ...(request.maxTokens === undefined
        ? {}
        : this.provider === 'openai'
          ? { max_completion_tokens: request.maxTokens }
          : { max_tokens: request.maxTokens }),
      ...(tools
        ? {
            tools: tools.map((t) => ({
              type: 'function' as const,
              function: { name: t.name, description: t.description, parameters: t.parameters },
            })),
            tool_choice: request.toolChoice ?? 'auto',
          }
        : {}),
    };
  }
}

function toToolCall(call: ChatCompletionMessageToolCall): LlmToolCall[] {
  if (call.type !== 'function') return [];
  let args: unknown;
  try {
    args = call.function.arguments ? JSON.parse(call.function.arguments) : {};
  } catch {
    // A model that wrote broken JSON called the tool with nothing usable; the caller sees no arguments.
    args = {};
  }
  const record = args !== null && typeof args === 'object' && !Array.isArray(args) ? args : {};
  return [{ id: call.id, name: call.function.name, arguments: record as Record<string, unknown> }];
}
