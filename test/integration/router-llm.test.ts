import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { isExecutable } from '../../src/orchestrator/router/route-decision.js';
import { AgentRegistry } from '../../src/orchestrator/registry/agent-registry.js';
import { MAX_LLM_CANDIDATES } from '../../src/orchestrator/router/llm/catalog-pruning.js';
import { RouterService } from '../../src/orchestrator/router/router.service.js';
import { anthropicFake } from '../fakes/anthropic.fake.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { openAiFake } from '../fakes/openai.fake.js';
import { PasswordVaultModule } from '../../src/agents/password-vault/password-vault.module.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';

// Text the local model cannot place; the fake models answer by keyword, as a model would by meaning.
const UNCLEAR = 'could you tot up twelve and thirty for me';
const CHATTY = 'anything cheerful to share about fridays';

describe.each(['openai', 'anthropic'] as const)('LLM routing through the %s SDK (local fake)', (provider) => {
  let fake: HttpFake;
  let o: OrchestratorApp;
  let router: RouterService;

  beforeAll(async () => {
    if (provider === 'openai') {
      fake = await openAiFake((req: ChatCompletionCreateParams) => {
        const said = JSON.stringify(req.messages.at(-1)?.content ?? '');
        if (said.includes('tot up')) return { tool: 'a91__add', arguments: { a: 12, b: 30 } };
        if (said.includes('explode')) return { status: 500, error: 'model overloaded' };
        return { reply: 'Do you want a note, or a sum?' };
      }).start();
    } else {
      fake = await anthropicFake((req: MessageCreateParams) => {
        const said = JSON.stringify(req.messages.at(-1)?.content ?? '');
        if (said.includes('tot up')) return { tool: 'a91__add', input: { a: 12, b: 30 } };
        if (said.includes('explode')) return { status: 500, error: 'model overloaded' };
        return { reply: 'Do you want a note, or a sum?' };
      }).start();
    }
    const env: Record<string, string> =
      provider === 'openai'
        ? { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: 'sk-test', LLM_MODEL: 'test-model' }
        : { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test', LLM_MODEL: 'test-model' };
    o = await startOrchestrator('pglite', env, [VaultModule, PasswordVaultModule]);
    router = o.app.get(RouterService);
  });
  afterAll(async () => {
    await o?.close();
    await fake?.stop();
  });

  it("asks the model when the local model is unsure, offering only the local model's best candidates", async () => {
    const d = await router.route(UNCLEAR);
    expect(d).toMatchObject({ agentNumber: 91, tool: 'add', parameters: { a: 12, b: 30 }, via: 'llm' });
    expect(isExecutable(d)).toBe(true);
    const body = fake.requests.at(-1)!.body as {
      model: string;
      tools: { name?: string; function?: { name: string; parameters: unknown } }[];
    };
    expect(body.model).toBe('test-model');
    const names = body.tools.map((t) => t.function?.name ?? t.name);
    expect(names).toContain('a91__add');
    // A small prompt: not the whole catalog, and never a vault tool that handles secrets.
    const catalog = o.app.get(AgentRegistry).catalog();
    expect(catalog.length).toBeGreaterThan(MAX_LLM_CANDIDATES);
    expect(names.length).toBeLessThanOrEqual(MAX_LLM_CANDIDATES);
    for (const sensitive of catalog.filter((t) => t.sensitive))
      expect(names).not.toContain(`a${sensitive.agentNumber}__${sensitive.name}`);
    const add = body.tools.find((t) => (t.function?.name ?? t.name) === 'a91__add')!;
    expect(add.function?.parameters ?? (add as { input_schema?: unknown }).input_schema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
    });
  });

  it("passes the model's question on when it calls no tool", async () => {
    const d = await router.route(CHATTY);
    expect(d).toMatchObject({ agentNumber: null, via: 'llm', llmReply: 'Do you want a note, or a sum?' });
    expect(d.clarification?.question).toContain('Do you want a note, or a sum?');
  });

  it('falls back to asking back itself when the model fails', async () => {
    const d = await router.route('please explode politely');
    expect(d.via).not.toBe('llm');
    expect(isExecutable(d)).toBe(false);
  });

  it('never sends words that look like a vault command to the model', async () => {
    const secret = 'Zq8-unlikely-secret';
    const before = fake.requests.length;
    const d = await router.route(`hold on to ${secret} as the wifi passcode`);
    expect(d.scores[0]).toMatchObject({ agentNumber: 32 });
    expect(d.via).not.toBe('llm');
    expect(fake.requests.slice(before).some((r) => JSON.stringify(r.body).includes(secret))).toBe(false);
  });

  it('does not ask the model when the local model is sure', async () => {
    const before = fake.requests.length;
    expect(await router.route('#91 add 1 and 2')).toMatchObject({ via: 'address' });
    expect(await router.route('what is 4 plus 5')).toMatchObject({ via: 'nlu' });
    expect(fake.requests.length).toBe(before);
  });
});
