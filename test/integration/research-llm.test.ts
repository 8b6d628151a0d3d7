import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { ResearchModule } from '../../src/agents/research/research.module.js';
import { ConversationService } from '../../src/orchestrator/conversation/conversation.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { openAiFake } from '../fakes/openai.fake.js';
import { searxngFake } from '../fakes/search.fake.js';
import { webFake } from '../fakes/web.fake.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { postgresAvailable, type TestDatabase } from '../support/services.js';
import { WebScrapingDoubleModule } from '../support/web-scraping-double.js';

const kinds: TestDatabase['kind'][] = ['pglite', ...((await postgresAvailable()) ? ['postgres' as const] : [])];

const text = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((c: { text?: string }) => c.text ?? '').join('')
      : '';

/** The number of the passage (as the model was shown it) that contains `words`. */
function passageNumber(prompt: string, words: string): number {
  for (const m of prompt.matchAll(/^\[(\d+)\] (.*)$/gm)) if (m[2]!.includes(words)) return Number(m[1]);
  throw new Error(`no passage with "${words}" in the prompt`);
}

describe.each(kinds)('agent #18 research with an LLM (OpenAI fake): synthesis cut to what is cited (%s)', (kind) => {
  let web: HttpFake;
  let searx: HttpFake;
  let model: HttpFake;
  let o: OrchestratorApp;
  let failModel = false;
  const prompts: { system: string; user: string }[] = [];
  let say: (t: string) => Promise<{ reply: string; tool: string | null; data: Record<string, unknown> }>;

  beforeAll(async () => {
    web = await webFake().start();
    searx = await searxngFake(() => web.url).start();
    model = await openAiFake((req: ChatCompletionCreateParams) => {
      // Routing: the local model is sure of these requests, so the router should not ask.
      if (req.tools?.length) return { status: 400, error: 'routing was not expected' };
      const system = text(req.messages[0]?.content);
      const user = text(req.messages.at(-1)?.content);
      prompts.push({ system, user });
      if (failModel) return { status: 500, error: 'model overloaded' };
      if (system.includes('research questions')) {
        const hubspot = passageNumber(user, 'HubSpot CRM is free');
        const paid = passageNumber(user, 'paid tiers add automation');
        return {
          reply: `A free CRM such as HubSpot suits most freelancers [${hubspot}]. Every freelancer should switch today. Paid tiers add automation [${paid}][42].`,
        };
      }
      if (system.includes('Summarise the page'))
        return { reply: 'Obsidian stores notes offline as Markdown files [1]. It is the best app ever made.' };
      if (system.includes('compare options')) {
        const obsidian = passageNumber(user, 'works fully offline');
        return { reply: `Obsidian suits offline work [${obsidian}]. Notion suits teams.` };
      }
      return { reply: 'unexpected' };
    }).start();
    o = await startOrchestrator(
      kind,
      {
        SEARXNG_URL: searx.url,
        PAIOS_ALLOW_HOSTS: '127.0.0.1',
        OPENAI_BASE_URL: `${model.url}/v1`,
        OPENAI_API_KEY: 'sk-test',
        LLM_MODEL: 'test-model',
      },
      [ResearchModule, WebScrapingDoubleModule],
    );
    const userId = (await o.app.get(UserRepository).upsertByEmail(`llm-research-${kind}@example.test`)).id;
    const conversation = o.app.get(ConversationService);
    say = async (t) => {
      const turn = await conversation.handle({ userId, text: t });
      return {
        reply: turn.reply,
        tool: turn.decision.tool,
        data: (turn.response?.data ?? {}) as Record<string, unknown>,
      };
    };
  });
  afterAll(async () => {
    await o?.close();
    await model?.stop();
    await searx?.stop();
    await web?.stop();
  });

  it('writes the answer from the top passages, keeping only sentences that cite a page read', async () => {
    const r = await say('research the best CRM for freelancers');
    expect(r.tool).toBe('research');
    // The model was given the pages' passages, numbered as the sources are.
    expect(prompts.at(-1)!.user).toContain('Question: the best CRM for freelancers');
    expect(prompts.at(-1)!.user).toContain('HubSpot CRM is free for up to two users');
    const sources = r.data.sources as { n: number; url: string }[];
    const n = (path: string) => sources.find((s) => s.url === `${web.url}${path}`)!.n;
    expect(r.data).toMatchObject({
      method: 'synthesis',
      // The uncited sentence is gone, and so is the citation of a source that does not exist.
      answer: `A free CRM such as HubSpot suits most freelancers [${n('/crm-freelancers')}]. Paid tiers add automation [${n('/crm-pricing')}].`,
    });
    expect(r.reply).toContain(`[${n('/crm-pricing')}] CRM pricing compared — ${web.url}/crm-pricing`);
  });

  it('summarises a page with the model, cited to it', async () => {
    const r = await say(`summarize ${web.url}/obsidian`);
    expect(r.tool).toBe('summarize_url');
    expect(r.data).toMatchObject({
      method: 'synthesis',
      summary: 'Obsidian stores notes offline as Markdown files [1].',
    });
  });

  it('adds a cited verdict under the comparison table', async () => {
    const r = await say('compare Notion and Obsidian on price and offline use');
    expect(r.tool).toBe('compare');
    const sources = r.data.sources as { n: number; url: string }[];
    const obsidian = sources.find((s) => s.url === `${web.url}/obsidian`)!.n;
    expect(r.data.verdict).toBe(`Obsidian suits offline work [${obsidian}].`);
    expect(r.reply).toContain(`${r.data.table as string}\n\nObsidian suits offline work [${obsidian}].`);
  });

  it('quotes the pages instead when the model fails, and says so', async () => {
    failModel = true;
    try {
      const r = await say('research the best CRM for freelancers');
      expect(r.data.method).toBe('extractive');
      expect(r.data.answer).toContain('HubSpot CRM is free for up to two users');
      expect(r.reply).toContain('Note: the model failed');
    } finally {
      failModel = false;
    }
  });
});
