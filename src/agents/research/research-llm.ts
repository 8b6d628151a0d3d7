import type { AgentLanguageModel } from '../../sdk/language-model.contract.js';

/**
 * The one way this agent asks a model for words: a system prompt and a user message in, the text
 * out.
 */
export type Complete = (system: string, user: string, signal?: AbortSignal) => Promise<string>;

/**
 * The person's model for this call through the shared model port (their budget and this agent's
 * apply, usage is recorded), or undefined when no model is configured: answers are then quoted.
 */
export function modelOf(ctx: { llm?: AgentLanguageModel }): Complete | undefined {
  const llm = ctx.llm;
  if (!llm) return undefined;
  return async (system, user) =>
    (
      await llm.complete({ system, messages: [{ role: 'user', content: user }], temperature: 0.2, maxTokens: 1200 })
    ).text.trim();
}
