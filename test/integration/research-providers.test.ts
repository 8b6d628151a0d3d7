import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ResearchModule } from '../../src/agents/research/research.module.js';
import { ConversationService } from '../../src/orchestrator/conversation/conversation.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { VaultService } from '../../src/vault/vault.service.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { braveFake, searxngFake, tavilyFake } from '../fakes/search.fake.js';
import { webFake } from '../fakes/web.fake.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { WebScrapingDoubleModule } from '../support/web-scraping-double.js';

const BRAVE_KEY = 'BSA-test-key-0123456789';
const TAVILY_KEY = 'tvly-test-key-0123456789';

describe('agent #18 searches with a Brave or Tavily key granted from the vault, else SearXNG', () => {
  let web: HttpFake;
  let searx: HttpFake;
  let brave: HttpFake;
  let tavily: HttpFake;
  let o: OrchestratorApp;
  let userId: string;
  let research: (question: string) => Promise<{ ok: boolean; reply: string; data: Record<string, unknown> }>;

  beforeAll(async () => {
    web = await webFake().start();
    searx = await searxngFake(() => web.url).start();
    brave = await braveFake(() => web.url, BRAVE_KEY).start();
    tavily = await tavilyFake(() => web.url, TAVILY_KEY).start();
    o = await startOrchestrator(
      'pglite',
      {
        SEARXNG_URL: searx.url,
        BRAVE_SEARCH_API_BASE: brave.url,
        TAVILY_API_BASE: tavily.url,
        PAIOS_ALLOW_HOSTS: '127.0.0.1',
        VAULT_ARGON2_MEMORY_KIB: '19456',
        VAULT_ARGON2_ITERATIONS: '2',
        VAULT_ARGON2_PARALLELISM: '1',
      },
      [ResearchModule, WebScrapingDoubleModule, VaultModule],
    );
    userId = (await o.app.get(UserRepository).upsertByEmail('searcher@example.test')).id;
    const conversation = o.app.get(ConversationService);
    research = async (question) => {
      const turn = await conversation.handle({ userId, text: `research ${question}` });
      return {
        ok: turn.response?.success ?? false,
        reply: turn.reply,
        data: (turn.response?.data ?? {}) as Record<string, unknown>,
      };
    };
  });
  afterAll(async () => {
    await o?.close();
    await Promise.all([web?.stop(), searx?.stop(), brave?.stop(), tavily?.stop()]);
  });

  it('uses the granted key of the person, and the server SearXNG otherwise', async () => {
    const vault = o.app.get(VaultService);
    expect((await research('the best CRM for freelancers')).data.provider).toBe('searxng');

    await vault.unlock(userId, 'vault master for research');
    await vault.store(userId, 'brave-search', { apiKey: BRAVE_KEY });
    // Stored but not granted: still SearXNG.
    expect((await research('the best CRM for freelancers')).data.provider).toBe('searxng');

    await vault.grant(userId, 18, 'brave-search');
    const viaBrave = await research('Obsidian offline notes');
    expect(viaBrave).toMatchObject({ ok: true, data: { provider: 'brave' } });
    expect(brave.requests.at(-1)!.headers['x-subscription-token']).toBe(BRAVE_KEY);
    expect(viaBrave.data.answer).toContain('Obsidian keeps notes as local Markdown files, so it works fully offline.');
    expect(viaBrave.reply).toContain(`${web.url}/obsidian`);

    await vault.revoke(userId, 18, 'brave-search');
    await vault.store(userId, 'tavily', { apiKey: TAVILY_KEY });
    await vault.grant(userId, 18, 'tavily');
    const viaTavily = await research('Notion offline mode');
    expect(viaTavily).toMatchObject({ ok: true, data: { provider: 'tavily' } });
    expect(tavily.requests.at(-1)!.body).toMatchObject({ query: 'Notion offline mode', max_results: 5 });
    expect(viaTavily.data.answer).toContain('its offline mode only keeps pages you opened recently');
  });

  it('says the search failed without repeating the key it was refused with', async () => {
    const vault = o.app.get(VaultService);
    await vault.revoke(userId, 18, 'tavily');
    const stored = await vault.findByService(userId, 'brave-search');
    await vault.update(userId, stored!.id, { data: { apiKey: 'BSA-wrong-key-000000' } });
    await vault.grant(userId, 18, 'brave-search');
    const r = await research('the best CRM for freelancers');
    expect(r.ok).toBe(false);
    expect(r.reply).toBe('Sorry: Brave Search answered 401');
    expect(r.reply).not.toContain('BSA-');
  });
});
