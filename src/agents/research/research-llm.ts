import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { PaiosConfig } from '../../config/config.schema.js';

/**
 * The one way this agent asks a model for words: a system prompt and a user message in, the text
 * out. Kept this small so it can move onto the shared model port as is.
 */
export type Complete = (system: string, user: string, signal?: AbortSignal) => Promise<string>;

/** The configured LLM (the router's OPENAI_* / ANTHROPIC_* settings), or undefined without one. */
export function llmCompletion(config: PaiosConfig): Complete | undefined {
  const { llm } = config;
  if (llm.provider === 'openai') {
    // A local OpenAI-compatible server may need no key.
    const client = new OpenAI({
      apiKey: llm.openai.apiKey ?? 'not-needed',
      baseURL: llm.openai.baseUrl,
      timeout: 60_000,
      maxRetries: 1,
    });
    const model = llm.model ?? 'gpt-4o-mini';
    return async (system, user, signal) => {
      const completion = await client.chat.completions.create(
        {
          model,
          temperature: 0.2,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: user },
          ],
        },
        { signal },
      );
      return completion.choices[0]?.message?.content?.trim() ?? '';
    };
  }
  if (llm.provider === 'anthropic') {
    const client = new Anthropic({
      apiKey: llm.anthropic.apiKey,
      baseURL: llm.anthropic.baseUrl,
      timeout: 60_000,
      maxRetries: 1,
    });
    const model = llm.model ?? 'claude-3-5-haiku-latest';
    return async (system, user, signal) => {
      const message = await client.messages.create(
        { model, max_tokens: 1200, system, messages: [{ role: 'user', content: user }] },
        { signal },
      );
      return message.content
        .map((block) => (block.type === 'text' ? block.text : ''))
        .join('')
        .trim();
    };
  }
  return undefined;
}
