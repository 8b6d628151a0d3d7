import { z } from 'zod';

/** The LLM the router asks when the local model is unsure; OpenAI's key also serves voice. */
export const llmEnv = {
  LLM_PROVIDER: z
    .enum(['openai', 'anthropic'], { message: 'expected openai or anthropic' })
    .optional()
    .describe('LLM that routes what the local model is unsure of.'),
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
};
