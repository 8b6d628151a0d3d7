import type { Provider } from '@nestjs/common';
import { LanguageModel } from '../../llm/language-model.port.js';
import { LLM_ROUTER, type LlmRouter } from '../route-decision.js';
import { ModelToolRouter } from './model-tool.router.js';

/** The LLM router over the model port, or null when no model is configured (routing stays local). */
export const llmRouterProvider: Provider = {
  provide: LLM_ROUTER,
  inject: [{ token: LanguageModel, optional: true }],
  useFactory: (model: LanguageModel | null | undefined): LlmRouter | null =>
    model ? new ModelToolRouter(model) : null,
};
