import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PDFParse } from 'pdf-parse';
import { PasswordVaultModule } from '../../src/agents/password-vault/password-vault.module.js';
import { ResearchModule } from '../../src/agents/research/research.module.js';
import { FixedClock } from '../../src/common/clock.js';
import { ConversationService } from '../../src/orchestrator/conversation/conversation.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import type { Attachment } from '../../src/sdk/agent.contract.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { searxngFake } from '../fakes/search.fake.js';
import { FAKE_PAGES, webFake } from '../fakes/web.fake.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { postgresAvailable, type TestDatabase } from '../support/services.js';
import { scraped, WebScrapingDoubleModule } from '../support/web-scraping-double.js';

const kinds: TestDatabase['kind'][] = ['pglite', ...((await postgresAvailable()) ? ['postgres' as const] : [])];

interface Said {
  reply: string;
  agent: number | null;
  tool: string | null;
  ok: boolean;
  data: Record<string, unknown>;
  attachments: Attachment[];
}

interface Listed {
  n: number;
  title: string;
  url: string;
}

/**
 * Every "sentence [n]" of an answer is a sentence of page n as the fake web serves it: the claim can
 * be traced to a page that was read.
 */
export function expectTraceable(answer: string, sources: Listed[], webUrl: string): void {
  const quotes = [...answer.matchAll(/([^[\]]+?)\s*\[(\d+)\]/g)];
  expect(quotes.length).toBeGreaterThan(0);
  for (const [, sentence, n] of quotes) {
    const source = sources.find((s) => s.n === Number(n));
    expect(source).toBeDefined();
    const page = FAKE_PAGES.find((p) => `${webUrl}${p.path}` === source!.url);
    expect(page).toBeDefined();
    expect([page!.title, ...page!.paragraphs].join(' ')).toContain(sentence!.trim());
  }
}

describe.each(kinds)('agent #18 research without an LLM: SearXNG, pages read by #7, quotes cited (%s)', (kind) => {
  let web: HttpFake;
  let searx: HttpFake;
  let o: OrchestratorApp;
  const clock = new FixedClock('2026-11-24T10:00:00Z');
  let say: (text: string) => Promise<Said>;
  let userId: string;

  beforeAll(async () => {
    web = await webFake().start();
    searx = await searxngFake(() => web.url).start();
    o = await startOrchestrator(
      kind,
      { SEARXNG_URL: searx.url, PAIOS_ALLOW_HOSTS: '127.0.0.1' },
      [ResearchModule, WebScrapingDoubleModule, VaultModule, PasswordVaultModule],
      clock,
    );
    userId = (await o.app.get(UserRepository).upsertByEmail(`research-${kind}@example.test`)).id;
    const conversation = o.app.get(ConversationService);
    say = async (text) => {
      const turn = await conversation.handle({ userId, text });
      return {
        reply: turn.reply,
        agent: turn.decision.agentNumber,
        tool: turn.decision.tool,
        ok: turn.response?.success ?? false,
        data: (turn.response?.data ?? {}) as Record<string, unknown>,
        attachments: turn.response?.attachments ?? [],
      };
    };
  });
  afterAll(async () => {
    await o?.close();
    await searx?.stop();
    await web?.stop();
  });

  it('researches a question: searches SearXNG, has #7 read the hits, quotes the best sentences with citations', async () => {
    const before = scraped.length;
    const r = await say('research the best CRM for freelancers');
    expect(r).toMatchObject({ agent: 18, tool: 'research', ok: true });
    expect(new URL(searx.requests.at(-1)!.path, 'http://x').searchParams.get('q')).toBe('the best CRM for freelancers');
    // #7 was asked for every hit, the dead one included.
    expect(scraped.slice(before)).toEqual(expect.arrayContaining([`${web.url}/crm-freelancers`, `${web.url}/gone`]));
    const sources = r.data.sources as Listed[];
    expect(sources.map((s) => s.url)).not.toContain(`${web.url}/gone`);
    expect(r.data.method).toBe('extractive');
    const answer = r.data.answer as string;
    expect(answer).toContain('HubSpot CRM is free for up to two users');
    expectTraceable(answer, sources, web.url);
    // The sources are listed under the answer, and the page that could not be read is named.
    const hubspot = sources.find((s) => s.url === `${web.url}/crm-freelancers`)!;
    expect(r.reply).toContain(`[${hubspot.n}] The best CRM for freelancers in 2026 — ${web.url}/crm-freelancers`);
    expect(r.reply).toContain(`Note: Could not read ${web.url}/gone`);
    // Kept as memory of type research, with its sources: what "publish this" (#29) will take up.
    const [kept] = await o.db.dataSource.query<{ memory_type: string; content: unknown }[]>(
      `SELECT m.memory_type, m.content FROM agent_memory m JOIN agents a ON a.id = m.agent_id
        WHERE a.user_id = $1 AND a.agent_number = 18 ORDER BY m.created_at DESC LIMIT 1`,
      [userId],
    );
    expect(kept!.memory_type).toBe('research');
    const finding = (typeof kept!.content === 'string' ? JSON.parse(kept!.content) : kept!.content) as Record<
      string,
      unknown
    >;
    expect(finding).toMatchObject({ kind: 'research', question: 'the best CRM for freelancers', answer });
    expect(finding.sources).toEqual(sources.map(({ n, title, url }) => ({ n, title, url })));
  });

  it('routes research requests to #18, a password manager question included, not to the vault', async () => {
    for (const text of [
      'look into the best password manager for families',
      'research heat pumps versus gas boilers',
      'compare Notion and Obsidian',
    ]) {
      const r = await say(text);
      expect({ text, agent: r.agent }).toEqual({ text, agent: 18 });
    }
  });

  it('summarises one page it is given, citing it', async () => {
    const r = await say(`summarize ${web.url}/obsidian`);
    expect(r).toMatchObject({ agent: 18, tool: 'summarize_url', ok: true });
    expect(r.reply).toMatch(/^Obsidian review: /);
    expect(r.reply).toContain('Obsidian keeps notes as local Markdown files, so it works fully offline. [1]');
    expect(r.reply).toContain(`[1] Obsidian review — ${web.url}/obsidian`);
    expect(r.reply).not.toContain('tracking'); // the page's script is not text
  });

  it('compares options against criteria as a markdown table, each cell cited to the page it comes from', async () => {
    const r = await say('compare Notion and Obsidian on price and offline use');
    expect(r).toMatchObject({ agent: 18, tool: 'compare', ok: true });
    const table = r.data.table as string;
    const [head, rule, price, offline] = table.split('\n');
    expect(head).toBe('| Criterion | Notion | Obsidian |');
    expect(rule).toBe('|---|---|---|');
    const sources = r.data.sources as Listed[];
    const n = (path: string) => sources.find((s) => s.url === `${web.url}${path}`)!.n;
    expect(price).toContain(
      `Notion costs 10 dollars per month on the Plus plan; the free plan suits one person. [${n('/notion')}]`,
    );
    expect(price).toContain(`Obsidian is free for personal use; Sync costs 4 dollars per month. [${n('/obsidian')}]`);
    expect(offline).toMatch(/^\| offline use \| .*offline mode.* \| Obsidian keeps notes as local Markdown files/);
    expect(r.reply).toContain(table);
  });

  it('compares what it can find, and says which option the search found nothing for', async () => {
    const r = await say('compare Obsidian and Zzyzxnotes on price');
    expect(r).toMatchObject({ agent: 18, tool: 'compare', ok: true });
    const [, , price] = (r.data.table as string).split('\n');
    expect(price).toMatch(
      /^\| price \| Obsidian is free for personal use; Sync costs 4 dollars per month\. \[\d\] \| not found \|$/,
    );
    expect(r.reply).toContain('Note: The search found nothing for "Zzyzxnotes price".');
  });

  it('reads only the URLs given, and attaches the report as Markdown and PDF when asked', async () => {
    const searches = searx.requests.length;
    const r = await say(`research how Obsidian works offline using ${web.url}/obsidian and write a pdf report`);
    expect(r).toMatchObject({ agent: 18, tool: 'research', ok: true });
    expect(searx.requests.length).toBe(searches);
    expect(r.data.question).toBe('how Obsidian works offline');
    expect(r.data.answer).toContain('Obsidian keeps notes as local Markdown files, so it works fully offline. [1]');
    expect(r.attachments.map((a) => a.mimeType)).toEqual(['text/markdown', 'application/pdf']);
    const md = Buffer.from(r.attachments[0]!.data, 'base64').toString();
    expect(md).toContain('# how Obsidian works offline');
    expect(md).toContain(`1. [Obsidian review](${web.url}/obsidian)`);
    const { text } = await new PDFParse({ data: Buffer.from(r.attachments[1]!.data, 'base64') }).getText();
    expect(text).toContain('works fully offline');
    expect(text).toContain(`${web.url}/obsidian`);
  });

  it('recalls what it found, with its sources, within the time asked about', async () => {
    clock.advance(3 * 86_400_000);
    const r = await say('what did you find about CRMs last week');
    expect(r).toMatchObject({ agent: 18, tool: 'recall', ok: true });
    expect(r.reply).toMatch(/^2026-11-24 — the best CRM for freelancers\n/);
    expect(r.reply).toContain('HubSpot CRM is free for up to two users');
    expect(r.reply).toContain(`${web.url}/crm-freelancers`);

    clock.advance(30 * 86_400_000);
    expect((await say('what did you find about CRMs last week')).reply).toBe(
      'I have no research about "CRMs" from last week.',
    );
  });

  it('says plainly when there is nothing to search with and no URL was given', async () => {
    const bare = await startOrchestrator('pglite', {}, [ResearchModule, WebScrapingDoubleModule]);
    try {
      const userId = (await bare.app.get(UserRepository).upsertByEmail('no-search@example.test')).id;
      const turn = await bare.app
        .get(ConversationService)
        .handle({ userId, text: 'research the best CRM for freelancers' });
      expect(turn.response?.success).toBe(false);
      expect(turn.reply).toContain('No web search is set up');
    } finally {
      await bare.close();
    }
  });
});
