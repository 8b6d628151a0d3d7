import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { SpeechCreateParams } from 'openai/resources/audio/speech';
import type { TranscriptionVerbose } from 'openai/resources/audio/transcriptions';
import { HttpFake, type FakeReply, type RecordedFile } from './http-fake.js';

/** Tokens the fake reports for an answer (the defaults: 10 in, 5 out). */
export interface FakeUsage {
  input: number;
  output: number;
}

/**
 * What the fake model does with a request: call a tool (or several), answer in words, or fail, with a
 * Retry-After header when given. A request with `stream: true` gets its answer as server-sent events.
 */
export type OpenAiOutcome =
  | { tool: string; arguments: Record<string, unknown>; usage?: FakeUsage }
  | { calls: { name: string; arguments: Record<string, unknown> }[]; usage?: FakeUsage }
  | { reply: string; usage?: FakeUsage }
  | { status: number; error: string; retryAfter?: string };

export type OpenAiBehaviour = (request: ChatCompletionCreateParams) => OpenAiOutcome;

/**
 * A local stand-in for the OpenAI Chat Completions API (POST /v1/chat/completions), shaped after the
 * public API reference and typed with the openai package's own types; the same API a local server
 * (Ollama, llama.cpp, vLLM) offers.
 */
export function openAiFake(behaviour: OpenAiBehaviour): HttpFake {
  return new HttpFake((req): FakeReply => {
    if (req.method !== 'POST' || req.path !== '/v1/chat/completions') {
      return { status: 404, json: { error: { message: `no route ${req.path}`, type: 'invalid_request_error' } } };
    }
    const params = req.body as ChatCompletionCreateParams;
    const outcome = behaviour(params);
    if ('status' in outcome)
      return {
        status: outcome.status,
        json: { error: { message: outcome.error, type: outcome.status === 429 ? 'rate_limit_error' : 'server_error' } },
        headers: outcome.retryAfter !== undefined ? { 'retry-after': outcome.retryAfter } : undefined,
      };
    const usage = {
      prompt_tokens: outcome.usage?.input ?? 10,
      completion_tokens: outcome.usage?.output ?? 5,
      total_tokens: (outcome.usage?.input ?? 10) + (outcome.usage?.output ?? 5),
    };
    const calls =
      'tool' in outcome
        ? [{ name: outcome.tool, arguments: outcome.arguments }]
        : 'calls' in outcome
          ? outcome.calls
          : [];
    const toolCalls: ChatCompletionMessageToolCall[] = calls.map((c, i) => ({
      id: `call_${i + 1}`,
      type: 'function',
      function: { name: c.name, arguments: JSON.stringify(c.arguments) },
    }));
    const text = 'reply' in outcome ? outcome.reply : null;
    if (params.stream) return { body: sse(params.model, text ?? '', usage), contentType: 'text/event-stream' };
    const completion: ChatCompletion = {
      id: `chatcmpl-${Date.now()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: params.model,
      choices: [
        {
          index: 0,
          logprobs: null,
          finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
          message: toolCalls.length
            ? { role: 'assistant', content: null, refusal: null, tool_calls: toolCalls }
            : { role: 'assistant', content: text, refusal: null },
        },
      ],
      usage,
    };
    return { json: completion };
  });
}

/** The answer as the API streams it: a chunk per word, the finish, the usage, then [DONE]. */
function sse(model: string, text: string, usage: CompletionUsage): string {
  const chunk = (choices: ChatCompletionChunk['choices'], extra: Partial<ChatCompletionChunk> = {}) => {
    const c: ChatCompletionChunk = {
      id: 'chatcmpl-stream',
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model,
      choices,
      ...extra,
    };
    return `data: ${JSON.stringify(c)}\n\n`;
  };
  const words = text.match(/\S+\s*/g) ?? [];
  return [
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    ...words.map((w) => chunk([{ index: 0, delta: { content: w }, finish_reason: null }])),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    chunk([], { usage }),
    'data: [DONE]\n\n',
  ].join('');
}

/** What the fake speech endpoints do: the words heard in an upload, and the audio for a text. */
export interface OpenAiAudioBehaviour {
  transcribe?(file: RecordedFile, model: string): string | { status: number; error: string };
  /** `params`: the whole request (speed, instructions...). */
  speak?(input: string, voice: string, params: SpeechCreateParams): Buffer;
}

/**
 * A local stand-in for the OpenAI audio API (POST /v1/audio/transcriptions, multipart, and
 * POST /v1/audio/speech), as a local Whisper/TTS server offering the same API would answer.
 */
export function openAiAudioFake(behaviour: OpenAiAudioBehaviour): HttpFake {
  return new HttpFake((req): FakeReply => {
    if (req.method === 'POST' && req.path === '/v1/audio/transcriptions' && behaviour.transcribe) {
      const file = req.files.file;
      const fields = req.body as Record<string, string>;
      if (!file)
        return { status: 400, json: { error: { message: 'file is required', type: 'invalid_request_error' } } };
      const heard = behaviour.transcribe(file, fields.model ?? '');
      if (typeof heard !== 'string')
        return { status: heard.status, json: { error: { message: heard.error, type: 'server_error' } } };
      const verbose: TranscriptionVerbose = { text: heard, language: 'english', duration: 2.5 };
      return { json: fields.response_format === 'verbose_json' ? verbose : { text: heard } };
    }
    if (req.method === 'POST' && req.path === '/v1/audio/speech' && behaviour.speak) {
      const params = req.body as SpeechCreateParams;
      return {
        body: behaviour.speak(params.input, typeof params.voice === 'string' ? params.voice : 'custom', params),
        contentType: 'audio/ogg',
      };
    }
    return { status: 404, json: { error: { message: `no route ${req.path}`, type: 'invalid_request_error' } } };
  });
}
