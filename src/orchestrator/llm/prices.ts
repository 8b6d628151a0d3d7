import type { LlmProvider } from './language-model.port.js';

/** US dollars per million tokens, as the providers list them (standard tier, no caching discounts). */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * Prices of common models by name. A dated or `-latest` name takes the price of its longest listed
 * prefix (`gpt-4o-mini-2024-07-18` -> `gpt-4o-mini`). Update as providers change them; an unknown model
 * costs nothing here (its tokens still count against token budgets).
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  // OpenAI
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  o1: { input: 15, output: 60 },
  'o1-mini': { input: 1.1, output: 4.4 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  // Anthropic
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-opus': { input: 15, output: 75 },
  'claude-3-haiku': { input: 0.25, output: 1.25 },
};

/** The price of `model`, or undefined when it is not listed. */
export function priceOf(model: string): ModelPrice | undefined {
  const name = model.toLowerCase();
  let best: string | undefined;
  for (const key of Object.keys(MODEL_PRICES)) {
    if ((name === key || name.startsWith(`${key}-`)) && (!best || key.length > best.length)) best = key;
  }
  return best ? MODEL_PRICES[best] : undefined;
}

/** What a call cost in US dollars: 0 for local servers and unlisted models. */
export function costUsd(provider: LlmProvider, model: string, inputTokens: number, outputTokens: number): number {
  if (provider === 'openai-compatible') return 0;
  const price = priceOf(model);
  if (!price) return 0;
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
