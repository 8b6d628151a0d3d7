import type Anthropic from '@anthropic-ai/sdk';
import type { LlmRouter } from '../route-decision.js';
import { llmToolName, parseLlmToolName, ROUTING_PROMPT } from './llm-tools.js';

/** Tool choice by an Anthropic Claude model. */
export class AnthropicLlmRouter implements LlmRouter {
  readonly provider = 'anthropic';

  constructor(
    private readonly client: Anthropic,
    private readonly model: string,
  ) {}

  async choose(text: string, tools: Parameters<LlmRouter['choose']>[1]): ReturnType<LlmRouter['choose']> {
    const message = await this.client.messages.create({
      model: this.model,
      max_tokens: 1024,
      system: ROUTING_PROMPT,
      messages: [{ role: 'user', content: text }],
      tools: tools.map((t) => ({
        name: llmToolName(t.agentNumber, t.name),
        description: t.description,
        input_schema: { ...t.inputSchema, type: 'object' as const },
      })),
    });
    for (const block of message.content) {
      if (block.type === 'tool_use') {
        const target = parseLlmToolName(block.name);
        if (!target) throw new Error(`the model called an unknown tool ${block.name}`);
        return { ...target, parameters: (block.input ?? {}) as Record<string, unknown> };
      }
    }
    const reply = message.content
      .flatMap((b) => (b.type === 'text' ? [b.text] : []))
      .join(' ')
      .trim();
    return { reply: reply || 'Could you say that differently?' };
  }
}
