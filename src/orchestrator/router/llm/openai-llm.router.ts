import type OpenAI from 'openai';
import type { LlmRouter } from '../route-decision.js';
import { llmToolName, parseLlmToolName, ROUTING_PROMPT } from './llm-tools.js';

/** Tool choice by an OpenAI chat model, or any OpenAI-compatible server (OPENAI_BASE_URL). */
export class OpenAiLlmRouter implements LlmRouter {
  readonly provider = 'openai';

  constructor(
    private readonly client: OpenAI,
    private readonly model: string,
  ) {}

  async choose(text: string, tools: Parameters<LlmRouter['choose']>[1]): ReturnType<LlmRouter['choose']> {
    const completion = await this.client.chat.completions.create({
      model: this.model,
      temperature: 0,
      messages: [
        { role: 'system', content: ROUTING_PROMPT },
        { role: 'user', content: text },
      ],
      tools: tools.map((t) => ({
        type: 'function' as const,
        function: { name: llmToolName(t.agentNumber, t.name), description: t.description, parameters: t.inputSchema },
      })),
      tool_choice: 'auto',
    });
    const message = completion.choices[0]?.message;
    const call = message?.tool_calls?.find((c) => c.type === 'function');
    if (call && call.type === 'function') {
      const target = parseLlmToolName(call.function.name);
      if (!target) throw new Error(`the model called an unknown tool ${call.function.name}`);
      const parameters = call.function.arguments
        ? (JSON.parse(call.function.arguments) as Record<string, unknown>)
        : {};
      return { ...target, parameters };
    }
    return { reply: message?.content?.trim() || 'Could you say that differently?' };
  }
}
