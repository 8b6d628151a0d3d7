import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { SpeechCreateParams } from 'openai/resources/audio/speech';
import type { TranscriptionVerbose } from 'openai/resources/audio/transcriptions';
import { HttpFake, type FakeReply, type RecordedFile } from './http-fake.js';

/** What the fake model does with a request: call a tool, answer in words, or fail. */
export type OpenAiBehaviour = (
  request: ChatCompletionCreateParams,
) => { tool: string; arguments: Record<string, unknown> } | { reply: string } | { status: number; error: string };

/**
 * A local stand-in for the OpenAI Chat Completions API (POST /v1/chat/completions), shaped after the
 * public API reference and typed with the openai package's own types.
 */
export function openAiFake(behaviour: OpenAiBehaviour): HttpFake {
  return new HttpFake((req): FakeReply => {
    if (req.method !== 'POST' || req.path !== '/v1/chat/completions') {
      return { status: 404, json: { error: { message: `no route ${req.path}`, type: 'invalid_request_error' } } };
    }
    const params = req.body as ChatCompletionCreateParams;
    const outcome = behaviour(params);
    if ('status' in outcome)
      return { status: outcome.status, json: { error: { message: outcome.error, type: 'server_error' } } };
    const completion: ChatCompletion = {
      id: `chatcmpl-${Date.now()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: params.model,
      choices: [
        {
          index: 0,
          logprobs: null,
          finish_reason: 'tool' in outcome ? 'tool_calls' : 'stop',
          message:
            'tool' in outcome
              ? {
                  role: 'assistant',
                  content: null,
                  refusal: null,
                  tool_calls: [
                    {
                      id: 'call_1',
                      type: 'function',
                      function: { name: outcome.tool, arguments: JSON.stringify(outcome.arguments) },
                    },
                  ],
                }
              : { role: 'assistant', content: outcome.reply, refusal: null },
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    };
    return { json: completion };
  });
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
