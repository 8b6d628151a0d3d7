import type {
  ContentBlock,
  Message,
  MessageCreateParams,
  RawMessageStreamEvent,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';
import { HttpFake, type FakeReply } from './http-fake.js';
import type { FakeUsage } from './openai.fake.js';

/**
 * What the fake model does with a request: call a tool (or several), answer in words, or fail, with a
 * Retry-After header when given. A request with `stream: true` gets its answer as server-sent events.
 */
export type AnthropicOutcome =
  | { tool: string; input: Record<string, unknown>; usage?: FakeUsage }
  | { calls: { name: string; input: Record<string, unknown> }[]; usage?: FakeUsage }
  | { reply: string; usage?: FakeUsage }
  | { status: number; error: string; retryAfter?: string };

export type AnthropicBehaviour = (request: MessageCreateParams) => AnthropicOutcome;

function usageOf(u: FakeUsage | undefined): Usage {
  return {
    input_tokens: u?.input ?? 10,
    output_tokens: u?.output ?? 5,
    cache_creation: null,
    cache_creation_input_tokens: null,
    cache_read_input_tokens: null,
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    speed: null,
  };
}

/**
 * A local stand-in for the Anthropic Messages API (POST /v1/messages), shaped after the public API
 * reference and typed with @anthropic-ai/sdk's own types.
 */
export function anthropicFake(behaviour: AnthropicBehaviour): HttpFake {
  return new HttpFake((req): FakeReply => {
    if (req.method !== 'POST' || req.path !== '/v1/messages') {
      return {
        status: 404,
        json: { type: 'error', error: { type: 'not_found_error', message: `no route ${req.path}` } },
      };
    }
    const params = req.body as MessageCreateParams;
    const outcome = behaviour(params);
    if ('status' in outcome)
      return {
        status: outcome.status,
        json: {
          type: 'error',
          error: { type: outcome.status === 429 ? 'rate_limit_error' : 'api_error', message: outcome.error },
        },
        headers: outcome.retryAfter !== undefined ? { 'retry-after': outcome.retryAfter } : undefined,
      };
    const calls =
      'tool' in outcome ? [{ name: outcome.tool, input: outcome.input }] : 'calls' in outcome ? outcome.calls : [];
    const content: ContentBlock[] = calls.length
      ? calls.map((c, i) => ({
          type: 'tool_use',
          id: `toolu_${i + 1}`,
          name: c.name,
          input: c.input,
          caller: { type: 'direct' },
        }))
      : [{ type: 'text', text: 'reply' in outcome ? outcome.reply : '', citations: null }];
    const message: Message = {
      id: `msg_${Date.now()}`,
      type: 'message',
      role: 'assistant',
      model: params.model,
      container: null,
      diagnostics: null,
      content,
      stop_details: null,
      stop_reason: calls.length ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: usageOf(outcome.usage),
    };
    if (params.stream)
      return { body: sse(message, 'reply' in outcome ? outcome.reply : ''), contentType: 'text/event-stream' };
    return { json: message };
  });
}

/** The answer as the API streams it: message_start, a text block delta per word, message_delta, message_stop. */
function sse(message: Message, text: string): string {
  const event = (e: RawMessageStreamEvent) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
  const words = text.match(/\S+\s*/g) ?? [];
  return [
    event({
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } },
    }),
    event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } }),
    ...words.map((w) => event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: w } })),
    event({ type: 'content_block_stop', index: 0 }),
    event({
      type: 'message_delta',
      delta: { container: null, stop_details: null, stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        input_tokens: null,
        output_tokens: message.usage.output_tokens,
        output_tokens_details: null,
        server_tool_use: null,
      },
    }),
    event({ type: 'message_stop' }),
  ].join('');
}
