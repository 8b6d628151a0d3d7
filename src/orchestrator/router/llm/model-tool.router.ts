import type { LanguageModel } from '../../llm/language-model.port.js';
import type { LlmRouter } from '../route-decision.js';
import { llmToolName, parseLlmToolName, ROUTING_PROMPT } from './llm-tools.js';

/** Tool choice by whichever model the port is configured with (OpenAI, Anthropic, a local server). */
export class ModelToolRouter implements LlmRouter {
  constructor(private readonly model: LanguageModel) {}

  get provider(): string {
    return this.model.provider;
  }

  async choose(...[text, tools, ctx]: Parameters<LlmRouter['choose']>): ReturnType<LlmRouter['choose']> {
    const result = await this.model.complete(
      {
        system: ROUTING_PROMPT,
        messages: [{ role: 'user', content: text }],
        temperature: 0,
        maxTokens: 1024,
        tools: tools.map((t) => ({
          name: llmToolName(t.agentNumber, t.name),
          description: t.description,
          parameters: t.inputSchema,
        })),
      },
      { userId: ctx.userId, purpose: 'route' },
    );
    const warning = result.budgetWarning ? { budgetWarning: result.budgetWarning } : {};
    const call = result.toolCalls[0];
    if (call) {
      const target = parseLlmToolName(call.name);
      if (!target) throw new Error(`the model called an unknown tool ${call.name}`);
      return { ...target, parameters: call.arguments, ...warning };
    }
    return { reply: result.text || 'Could you say that differently?', ...warning };
  }
}
