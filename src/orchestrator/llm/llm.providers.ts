import type { Provider } from '@nestjs/common';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { AnthropicDriver } from './anthropic.driver.js';
import { LanguageModel } from './language-model.port.js';
import { LanguageModelService } from './language-model.service.js';
import { LlmBudgetService } from './llm-budget.service.js';
import { LlmUsageCommand } from './llm-usage.command.js';
import { LlmUsageRepository } from './llm-usage.repository.js';
import { LlmUsageService } from './llm-usage.service.js';
import type { ModelDriver } from './model-driver.js';
import { OpenAiDriver } from './openai.driver.js';

/** The driver for the configured provider, or null when no model is configured. */
export function modelDriver(llm: PaiosConfig['llm']): ModelDriver | null {
  if (llm.provider === 'openai') {
    // Without a key it is a local server speaking the OpenAI API (Ollama, llama.cpp, vLLM): no OpenAI prices.
    return new OpenAiDriver(
      { apiKey: llm.openai.apiKey, baseUrl: llm.openai.baseUrl, timeoutMs: llm.timeoutMs },
      llm.model ?? 'gpt-4o-mini',
      llm.openai.apiKey ? 'openai' : 'openai-compatible',
    );
  }
  if (llm.provider === 'anthropic') {
    return new AnthropicDriver(
      { apiKey: llm.anthropic.apiKey, baseUrl: llm.anthropic.baseUrl, timeoutMs: llm.timeoutMs },
      llm.model ?? 'claude-3-5-haiku-latest',
    );
  }
  return null;
}

/** The model port (null without a model), its budgets and its usage records. */
export const LLM_PROVIDERS: Provider[] = [
  LlmUsageRepository,
  LlmBudgetService,
  LlmUsageService,
  LlmUsageCommand,
  {
    provide: LanguageModel,
    inject: [PAIOS_CONFIG, LlmBudgetService, LlmUsageRepository],
    useFactory: (config: PaiosConfig, budget: LlmBudgetService, usage: LlmUsageRepository): LanguageModel | null => {
      const driver = modelDriver(config.llm);
      return driver
        ? new LanguageModelService(driver, budget, usage, {
            timeoutMs: config.llm.timeoutMs,
            maxRetries: config.llm.maxRetries,
          })
        : null;
    },
  },
];
