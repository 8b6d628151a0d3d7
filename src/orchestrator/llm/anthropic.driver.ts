import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsBase,
  MessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { LlmRequest, LlmToolCall } from './language-model.port.js';
import type { DriverResult, DriverStreamEvent, ModelDriver, ProviderFailure } from './model-driver.js';
import { driverStream, finishOf, sdkFailure, withoutTools } from './model-driver.js';

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
      finish: finishOf(toolCalls, message.stop_reason === 'max_tokens'),
    };
  }

  async stream(request: LlmRequest, signal: AbortSignal): Promise<AsyncIterable<DriverStreamEvent>> {
    const params = withoutTools(this.params(request));
    const events = await this.client.messages.create({ ...params, stream: true }, { signal });
    return driverStream(events, 'anthropic', this.model, (event, state) => {
      if (event.type === 'message_start') {
        state.model = event.message.model || state.model;
        state.usage.inputTokens = event.message.usage.input_tokens;
        state.usage.outputTokens = event.message.usage.output_tokens;
      } else if (event.type === 'message_delta') {
        // message_delta carries the running totals.
        state.usage.outputTokens = event.usage.output_tokens;
        if (event.usage.input_tokens !== null) state.usage.inputTokens = event.usage.input_tokens;
        if (event.delta.stop_reason === 'max_tokens') state.finish = 'length';
      } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') return event.delta.text;
      return undefined;
    });
  }

  failure(err: unknown): ProviderFailure | undefined {
    return sdkFailure(err, Anthropic);
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
