import type { Message, MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { HttpFake, type FakeReply } from './http-fake.js';

export type AnthropicBehaviour = (
  request: MessageCreateParams,
) => { tool: string; input: Record<string, unknown> } | { reply: string } | { status: number; error: string };

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
      return { status: outcome.status, json: { type: 'error', error: { type: 'api_error', message: outcome.error } } };
    const message: Message = {
      id: `msg_${Date.now()}`,
      type: 'message',
      role: 'assistant',
      model: params.model,
      container: null,
      diagnostics: null,
      content:
        'tool' in outcome
          ? [{ type: 'tool_use', id: 'toolu_1', name: outcome.tool, input: outcome.input, caller: { type: 'direct' } }]
          : [{ type: 'text', text: outcome.reply, citations: null }],
      stop_details: null,
      stop_reason: 'tool' in outcome ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 10,
        output_tokens: 5,
        cache_creation: null,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        inference_geo: null,
        output_tokens_details: null,
        server_tool_use: null,
        service_tier: 'standard',
        speed: null,
      },
    };
    return { json: message };
  });
}
