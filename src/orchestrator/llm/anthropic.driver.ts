import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsBase,
  MessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { LlmRequest, LlmToolCall } from './language-model.port.js';
import type { DriverResult, DriverStreamEvent, ModelDriver, ProviderFailure } from './model-driver.js';
import { retryAfterMs } from './model-driver.js';

/** Anthropic's Messages API. The SDK's own retries are off: the service retries with Retry-After. */
export class AnthropicDriver implements ModelDriver {
  readonly provider = 'anthropic' as const;
  private readonly client: Anthropic;

  constructor(
    options: { apiKey?: string; baseUrl?: string; timeoutMs: number },
    readonly model: string,
  ) {
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: 0,
    });
  }

  async generate(request: LlmRequest, signal: AbortSignal): Promise<DriverResult> {
    const message: Message = await this.client.messages.create({ ...this.params(request), stream: false }, { signal });
    const toolCalls: LlmToolCall[] = message.content.flatMap((b) =>
      b.type === 'tool_use' ? [{ id: b.id, name: b.name, arguments: (b.input ?? {}) as Record<string, unknown> }] : [],
    );
    return {
      text: message.content
        .flatMap((b) => (b.type === 'text' ? [b.text] : []))
        .join('\n')
        .trim(),
      toolCalls,
      usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
      model: message.model || this.model,
      provider: this.provider,
      finish: toolCalls.length ? 'tool_calls' : message.stop_reason === 'max_tokens' ? 'length' : 'stop',
    };
  }

  async stream(request: LlmRequest, signal: AbortSignal): Promise<AsyncIterable<DriverStreamEvent>> {
    const { tools: _tools, tool_choice: _choice, ...params } = this.params(request);
    const events = await this.client.messages.create({ ...params, stream: true }, { signal });
    const fallbackModel = this.model;
    return (async function* () {
      let text = '';
      let model = fallbackModel;
      const usage = { inputTokens: 0, outputTokens: 0 };
      let finish: DriverResult['finish'] = 'stop';
      for await (const event of events) {
        if (event.type === 'message_start') {
          model = event.message.model || model;
          usage.inputTokens = event.message.usage.input_tokens;
          usage.outputTokens = event.message.usage.output_tokens;
        } else if (event.type === 'message_delta') {
          // message_delta carries the running totals.
          usage.outputTokens = event.usage.output_tokens;
          if (event.usage.input_tokens !== null) usage.inputTokens = event.usage.input_tokens;
          if (event.delta.stop_reason === 'max_tokens') finish = 'length';
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          text += event.delta.text;
          yield { type: 'delta', text: event.delta.text } as const;
        }
      }
      yield {
        type: 'done',
        result: { text, toolCalls: [], usage, model, provider: 'anthropic', finish },
      } as const;
    })();
  }

  failure(err: unknown): ProviderFailure | undefined {
    if (err instanceof Anthropic.APIConnectionError) return { network: true, message: err.message };
    if (err instanceof Anthropic.APIError) {
      const { status, headers } = err as { status?: number; headers?: Headers };
      return { network: false, status, retryAfterMs: retryAfterMs(headers), message: err.message };
    }
    return undefined;
  }

  private params(request: LlmRequest): MessageCreateParamsBase {
    const messages: MessageParam[] = [];
    // Anthropic wants the results of one turn's tool calls together, in one user message.
    for (const m of request.messages) {
      if (m.role === 'user') messages.push({ role: 'user', content: m.content });
      else if (m.role === 'assistant') {
        const blocks: ContentBlockParam[] = m.content ? [{ type: 'text', text: m.content }] : [];
        for (const c of m.toolCalls ?? [])
          blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments });
        messages.push({ role: 'assistant', content: blocks });
      } else {
        const result: ContentBlockParam = { type: 'tool_result', tool_use_id: m.toolCallId, content: m.content };
        const last = messages.at(-1);
        if (last?.role === 'user' && Array.isArray(last.content)) last.content.push(result);
        else messages.push({ role: 'user', content: [result] });
      }
    }
    const tools = request.tools?.length && request.toolChoice !== 'none' ? request.tools : undefined;
    return {
      model: this.model,
      max_tokens: request.maxTokens ?? 1024,
      messages,
      ...(request.system ? { system: request.system } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(tools
        ? {
            tools: tools.map((t) => ({
              name: t.name,
              description: t.description,
              input_schema: { ...t.parameters, type: 'object' as const },
            })),
            tool_choice: { type: request.toolChoice === 'required' ? ('any' as const) : ('auto' as const) },
          }
        : {}),
    };
  }
}
