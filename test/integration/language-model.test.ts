import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { PAIOS_CONFIG } from '../../src/config/config.module.js';
import type { PaiosConfig } from '../../src/config/config.schema.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { LanguageModel, type LlmRequest } from '../../src/orchestrator/llm/language-model.port.js';
import { LanguageModelService } from '../../src/orchestrator/llm/language-model.service.js';
import { LlmBudgetService } from '../../src/orchestrator/llm/llm-budget.service.js';
import { LlmError, LlmErrorCode } from '../../src/orchestrator/llm/llm.errors.js';
import { modelDriver } from '../../src/orchestrator/llm/llm.providers.js';
import { LlmUsageRepository } from '../../src/orchestrator/llm/llm-usage.repository.js';
import { anthropicFake, type AnthropicOutcome } from '../fakes/anthropic.fake.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { openAiFake, type OpenAiOutcome } from '../fakes/openai.fake.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';

/** What the next requests get, in order; afterwards every request gets `then`. */
type Script =
  { reply: string } | { tool: string; args: Record<string, unknown> } | { status: number; retryAfter?: string };

const MODELS = { openai: 'gpt-4o-mini', anthropic: 'claude-3-5-haiku-latest' } as const;

interface UsageRow {
  user_id: string;
  agent_number: number | null;
  purpose: string;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: string;
}

describe.each(['openai', 'anthropic'] as const)('the model port through the %s SDK (local fake)', (provider) => {
  let fake: HttpFake;
  let o: OrchestratorApp;
  let model: LanguageModel;
  let userId: string;
  let script: Script[] = [];
  const usage = { input: 120, output: 30 };

  const next = (): Script => script.shift() ?? { reply: 'fine' };
  const lastBody = () => fake.requests.at(-1)!.body as Record<string, unknown>;
  const usageRows = () =>
    o.db.dataSource.query<UsageRow[]>(`SELECT * FROM llm_usage WHERE user_id = $1 ORDER BY created_at`, [userId]);
  const ask = (text: string, extra: Partial<LlmRequest> = {}): LlmRequest => ({
    messages: [{ role: 'user', content: text }],
    ...extra,
  });

  beforeAll(async () => {
    if (provider === 'openai') {
      fake = await openAiFake((_req: ChatCompletionCreateParams): OpenAiOutcome => {
        const s = next();
        if ('status' in s) return { status: s.status, error: 'slow down', retryAfter: s.retryAfter };
        if ('tool' in s) return { tool: s.tool, arguments: s.args, usage };
        return { reply: s.reply, usage };
      }).start();
    } else {
      fake = await anthropicFake((_req: MessageCreateParams): AnthropicOutcome => {
        const s = next();
        if ('status' in s) return { status: s.status, error: 'slow down', retryAfter: s.retryAfter };
        if ('tool' in s) return { tool: s.tool, input: s.args, usage };
        return { reply: s.reply, usage };
      }).start();
    }
    const env: Record<string, string> =
      provider === 'openai'
        ? { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: 'sk-test', LLM_MODEL: MODELS.openai }
        : { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test', LLM_MODEL: MODELS.anthropic };
    o = await startOrchestrator('pglite', { ...env, LLM_MAX_RETRIES: '2' });
    model = o.app.get(LanguageModel);
    userId = (await o.app.get(UserRepository).upsertByEmail(`port-${provider}@example.test`)).id;
  });
  afterAll(async () => {
    await o?.close();
    await fake?.stop();
  });
  beforeEach(() => {
    script = [];
  });

  /** The port with recorded waits instead of real ones, over the app's own driver, budgets and usage. */
  const withSleep = (waits: number[], maxRetries = 2) => {
    const config = o.app.get<PaiosConfig>(PAIOS_CONFIG);
    return new LanguageModelService(
      modelDriver(config.llm)!,
      o.app.get(LlmBudgetService),
      o.app.get(LlmUsageRepository),
      { timeoutMs: 5_000, maxRetries, sleep: async (ms) => void waits.push(ms) },
    );
  };

  it('completes a request and records who used how many tokens at what cost', async () => {
    const before = (await usageRows()).length;
    script = [{ reply: 'Paris.' }];
    const result = await model.complete(ask('capital of France?', { system: 'Be brief.' }), {
      userId,
      agentNumber: 90,
      purpose: 'test',
    });
    expect(result).toMatchObject({ text: 'Paris.', toolCalls: [], usage: { inputTokens: 120, outputTokens: 30 } });
    expect(JSON.stringify(lastBody())).toContain('Be brief.');
    const rows = await usageRows();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({
      agent_number: 90,
      purpose: 'test',
      provider,
      model: MODELS[provider],
      input_tokens: 120,
      output_tokens: 30,
    });
    // gpt-4o-mini: 0.15/0.60 per million; claude-3-5-haiku: 0.80/4.00 per million.
    const cost = provider === 'openai' ? (120 * 0.15 + 30 * 0.6) / 1e6 : (120 * 0.8 + 30 * 4) / 1e6;
    expect(Number(rows.at(-1)!.cost_usd)).toBeCloseTo(cost, 9);
  });

  it('asks again when the first structured answer does not fit the schema, saying what was wrong', async () => {
    script = [{ reply: 'Sure! The total is twelve.' }, { reply: '```json\n{"total": 12, "currency": "EUR"}\n```' }];
    const schema = z.object({ total: z.number(), currency: z.enum(['EUR', 'USD']) });
    const { value } = await model.structured(ask('what is the total?'), schema, { userId, purpose: 'test' });
    expect(value).toEqual({ total: 12, currency: 'EUR' });
    const retry = JSON.stringify(lastBody());
    expect(retry).toContain('Sure! The total is twelve.');
    expect(retry).toContain('not valid');
  });

  it('gives up with a clear error when no structured answer fits', async () => {
    script = [{ reply: '{"total": "twelve"}' }, { reply: '{"total": "still twelve"}' }];
    const failure = await model
      .structured(ask('total?'), z.object({ total: z.number() }), { userId, purpose: 'test' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LlmError);
    expect((failure as LlmError).code).toBe(LlmErrorCode.BadOutput);
    expect((failure as LlmError).message).toContain('total');
  });

  it('offers tools as JSON Schema, returns the calls, and carries their results into the next request', async () => {
    script = [{ tool: 'add', args: { a: 2, b: 3 } }, { reply: 'It is 5.' }];
    const tools = [
      {
        name: 'add',
        description: 'Add two numbers',
        parameters: {
          type: 'object',
          properties: { a: { type: 'number' }, b: { type: 'number' } },
          required: ['a', 'b'],
        },
      },
    ];
    const first = await model.complete(ask('2 plus 3?', { tools }), { userId, purpose: 'test' });
    expect(first.finish).toBe('tool_calls');
    expect(first.toolCalls).toEqual([{ id: expect.any(String), name: 'add', arguments: { a: 2, b: 3 } }]);
    expect(JSON.stringify(lastBody().tools)).toContain('"required":["a","b"]');

    const call = first.toolCalls[0]!;
    const second = await model.complete(
      {
        messages: [
          { role: 'user', content: '2 plus 3?' },
          { role: 'assistant', content: first.text, toolCalls: first.toolCalls },
          { role: 'tool', toolCallId: call.id, content: '5' },
        ],
        tools,
      },
      { userId, purpose: 'test' },
    );
    expect(second.text).toBe('It is 5.');
    const sent = JSON.stringify(lastBody().messages);
    expect(sent).toContain(call.id);
    expect(sent).toContain(provider === 'openai' ? '"role":"tool"' : '"type":"tool_result"');
  });

  it('streams the answer as text deltas and records its usage once it ends', async () => {
    const before = (await usageRows()).length;
    script = [{ reply: 'One two three four.' }];
    const stream = model.stream(ask('count to four'), { userId, purpose: 'test' });
    const deltas: string[] = [];
    for await (const delta of stream) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('One two three four.');
    expect((await stream.done).usage.outputTokens).toBe(30);
    expect(lastBody().stream).toBe(true);
    expect(await usageRows()).toHaveLength(before + 1);
  });

  it("retries a 429 after the provider's Retry-After, and a 5xx with backoff", async () => {
    const waits: number[] = [];
    script = [{ status: 429, retryAfter: '2' }, { status: 503 }, { reply: 'made it' }];
    const requests = fake.requests.length;
    const result = await withSleep(waits).complete(ask('hello'), { userId, purpose: 'test' });
    expect(result.text).toBe('made it');
    expect(fake.requests.length - requests).toBe(3);
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThan(0);
  });

  it('refuses after the last retry, without echoing what was asked', async () => {
    script = [{ status: 429 }, { status: 429 }];
    const failure = await withSleep([], 1)
      .complete(ask('my-private-words'), { userId, purpose: 'test' })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: LlmErrorCode.Refused, status: 429 });
    expect((failure as Error).message).not.toContain('my-private-words');
  });

  if (provider === 'openai') {
    it('talks to a local OpenAI-compatible server without a key, at no cost', async () => {
      const config = o.app.get<PaiosConfig>(PAIOS_CONFIG);
      const local = new LanguageModelService(
        modelDriver({ ...config.llm, model: 'gpt-4o', openai: { baseUrl: `${fake.url}/v1` } })!,
        o.app.get(LlmBudgetService),
        o.app.get(LlmUsageRepository),
        { timeoutMs: 5_000, maxRetries: 0 },
      );
      script = [{ reply: 'local answer' }];
      expect((await local.complete(ask('hi'), { userId, purpose: 'local' })).text).toBe('local answer');
      expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer not-needed');
      const row = (await usageRows()).at(-1)!;
      expect(row).toMatchObject({ provider: 'openai-compatible', purpose: 'local' });
      expect(Number(row.cost_usd)).toBe(0);
    });
  }
});
