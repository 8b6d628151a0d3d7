import { z } from 'zod';
import { positiveInt } from './env.fields.js';

/** A limit: 0 or more, where 0 means none. */
const budget = (what: string) =>
  z.coerce.number({ message: `expected ${what}` }).min(0, `expected ${what} (0: no limit)`);

/** The LLM the router asks when the local model is unsure; OpenAI's key also serves voice. */
export const llmEnv = {
  LLM_PROVIDER: z
    .enum(['openai', 'anthropic'], { message: 'expected openai or anthropic' })
    .optional()
    .describe('AI model for what the local router is unsure of, and for agents (see docs/llm.md).'),
  LLM_MODEL: z.string().min(1).optional().describe('Model of that LLM.'),
  OPENAI_API_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('OpenAI key; speech-to-text and speech use it unless they have their own.'),
  OPENAI_BASE_URL: z
    .url({ message: 'expected a URL such as http://127.0.0.1:8080/v1' })
    .optional()
    .describe('Any OpenAI-compatible server (a local one needs no key).'),
  ANTHROPIC_API_KEY: z.string().min(1).optional().describe('Anthropic key.'),
  ANTHROPIC_BASE_URL: z.url({ message: 'expected a URL' }).optional().describe('Another Anthropic API base.'),
  LLM_TIMEOUT_MS: positiveInt('a timeout in milliseconds').default(30_000).describe('Longest one model call may take.'),
  LLM_MAX_RETRIES: z.coerce
    .number({ message: 'expected a number of retries' })
    .int('expected a whole number')
    .min(0, 'expected 0 or more')
    .max(10, 'expected at most 10')
    .default(2)
    .describe('Retries of a model call refused with 429 or 5xx, or unanswered (Retry-After is honoured).'),
  LLM_TOOL_STEPS: positiveInt('a number of steps')
    .max(20, 'expected at most 20 steps')
    .default(5)
    .describe('Model calls one request may take when it needs several tools (each sees the results so far).'),
  LLM_TOOL_CANDIDATES: positiveInt('a number of tools')
    .max(40, 'expected at most 40 tools')
    .default(8)
    .describe("Tools offered to the model: the local router's best candidates only, for a small prompt."),
  LLM_PROGRESS_SECONDS: z.coerce
    .number({ message: 'expected a number of seconds' })
    .min(0, 'expected 0 or more')
    .default(3)
    .describe('At most one progress message per this many seconds while the model works through tools.'),
  LLM_DAILY_TOKENS: budget('a number of tokens')
    .default(200_000)
    .describe('Model tokens per person and per agent per day (0: no limit); an agent may set its own.'),
  LLM_MONTHLY_TOKENS: budget('a number of tokens')
    .default(0)
    .describe('Model tokens per person and per agent per month (0: no limit).'),
  LLM_DAILY_USD: budget('an amount in US dollars')
    .default(0)
    .describe('Model spend per person and per agent per day (0: no limit).'),
  LLM_MONTHLY_USD: budget('an amount in US dollars')
    .default(10)
    .describe('Model spend per person and per agent per month, priced by model (0: no limit; local models cost 0).'),
};
