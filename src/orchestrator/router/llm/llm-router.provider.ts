import Anthropic from '@anthropic-ai/sdk';
import type { Provider } from '@nestjs/common';
import OpenAI from 'openai';
import { PAIOS_CONFIG } from '../../../config/config.module.js';
import type { PaiosConfig } from '../../../config/config.schema.js';
import { LLM_ROUTER, type LlmRouter } from '../route-decision.js';
import { AnthropicLlmRouter } from './anthropic-llm.router.js';
import { OpenAiLlmRouter } from './openai-llm.router.js';

/** The configured LLM router, or null when none is configured (routing stays local). */
export const llmRouterProvider: Provider = {
  provide: LLM_ROUTER,
  inject: [PAIOS_CONFIG],
  useFactory: (config: PaiosConfig): LlmRouter | null => {
    const { llm } = config;
    if (llm.provider === 'openai') {
      return new OpenAiLlmRouter(
        // A local OpenAI-compatible server may need no key.
        new OpenAI({
          apiKey: llm.openai.apiKey ?? 'not-needed',
          baseURL: llm.openai.baseUrl,
          timeout: 20_000,
          maxRetries: 1,
        }),
        llm.model ?? 'gpt-4o-mini',
      );
    }
    if (llm.provider === 'anthropic') {
      return new AnthropicLlmRouter(
        new Anthropic({ apiKey: llm.anthropic.apiKey, baseURL: llm.anthropic.baseUrl, timeout: 20_000, maxRetries: 1 }),
        llm.model ?? 'claude-3-5-haiku-latest',
      );
    }
    return null;
  },
};
