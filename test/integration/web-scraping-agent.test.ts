import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { BusinessIntelligenceModule } from '../../src/agents/business-intelligence/business-intelligence.module.js';
import { WebScrapingAgent } from '../../src/agents/web-scraping/web-scraping.agent.js';
import { WebScrapingModule } from '../../src/agents/web-scraping/web-scraping.module.js';
import { ConversationService } from '../../src/orchestrator/conversation/conversation.service.js';
import { EventOutbox } from '../../src/orchestrator/events/event-outbox.js';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { AgentRepository } from '../../src/orchestrator/registry/agent.repository.js';
import { FixedClock } from '../../src/common/clock.js';
import { WorkflowsService } from '../../src/orchestrator/workflows/workflows.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { JobQueue } from '../../src/orchestrator/jobs/job-queue.port.js';
import { USER_NOTIFIER, type UserNotice } from '../../src/orchestrator/notifications/user-notifier.port.js';
import type { AgentResponse } from '../../src/sdk/agent.contract.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { VaultService } from '../../src/vault/vault.service.js';
import { apifyFake, runInputs } from '../fakes/apify.fake.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { WebFake } from '../fakes/site.fake.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { postgresAvailable, type TestDatabase } from '../support/services.js';
import { waitFor } from '../support/wait.js';

/** What paios told people without being asked (USER_NOTIFIER), as the chat side would receive it. */
const notices: { userId: string; notice: UserNotice }[] = [];

@Global()
@Module({
  providers: [
    {
      provide: USER_NOTIFIER,
      useValue: { notify: async (userId: string, notice: UserNotice) => (notices.push({ userId, notice }), 'console') },
    },
  ],
  exports: [USER_NOTIFIER],
})
class RecordingNotifierModule {}

const kinds: TestDatabase['kind'][] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

interface Page {
  url: string;
  title: string;
  text: string;
  links: { href: string; text: string }[];
  metadata: { description?: string; openGraph: Record<string, string>; jsonLd: unknown[] };
  table?: string[][];
  rendered: boolean;
}

describe.each(kinds)('agent #7 web scraping against a fake web (%s)', (kind) => {
  const clock = new FixedClock('2026-12-01T10:00:00Z');
  let o: OrchestratorApp;
  let web: WebFake;
  let apify: HttpFake;
  let userId: string;
  let call: (tool: string, parameters: Record<string, unknown>) => Promise<AgentResponse>;

  beforeAll(async () => {
    web = await new WebFake().start();
    apify = await apifyFake([{ url: 'https://example.com/', title: 'Example Domain' }]).start();
    o = await startOrchestrator(
      kind,
      {
        // The fake web is on this machine: its name is allowed, the address 127.0.0.1 is not.
        PAIOS_ALLOW_HOSTS: 'localhost',
        APIFY_API_BASE: apify.url,
        VAULT_ARGON2_MEMORY_KIB: '19456',
        VAULT_ARGON2_ITERATIONS: '2',
        VAULT_ARGON2_PARALLELISM: '1',
      },
      [WebScrapingModule, BusinessIntelligenceModule, VaultModule, RecordingNotifierModule],
      clock,
    );
    userId = (await o.app.get(UserRepository).upsertByEmail(`scraper-${kind}@example.test`)).id;
    const executor = o.app.get(ExecutorService);
    call = (tool, parameters) => executor.execute({ userId, agentNumber: 7, tool, parameters });
  });
  afterAll(async () => {
    await o?.close();
    await web?.stop();
    await apify?.stop();
  });

  it('scrapes an article: readable text without the navigation, title, links, description, Open Graph, JSON-LD', async () => {
    const res = await call('scrape', { url: `${web.base}/articles/first` });
    expect(res.success).toBe(true);
    const page = res.data as Page;
    expect(page.url).toBe(`${web.base}/articles/first`);
    expect(page.title).toBe('Why foxes jump');
    expect(page.text).toContain('Paragraph 8 about foxes');
    // A line per paragraph, not one run-on line.
    expect(page.text).toContain('on time.\nParagraph 2 about foxes');
    expect(page.text).not.toContain('© Acme');
    expect(page.links).toContainEqual({ href: `${web.base}/articles/second`, text: 'the second article' });
    expect(page.metadata).toMatchObject({
      description: 'On the jumping habits of foxes',
      openGraph: { title: 'Why foxes jump', type: 'article' },
      jsonLd: [{ '@type': 'Article', author: { name: 'Ada Fox' } }],
    });
    expect(res.text).toMatch(/^\*\*Why foxes jump\*\*\n/);
    // Sent as paios, and robots.txt was read first.
    const got = web.requests.find((r) => r.path === '/articles/first')!;
    expect(got.headers['user-agent']).toMatch(/^paios-scraper\//);
    expect(web.hits('/robots.txt')).toBeGreaterThanOrEqual(1);
  });

  it('reads a table (a long one goes along as CSV) and CSS selectors', async () => {
    const table = await call('scrape', { url: `${web.base}/prices`, format: 'table' });
    expect((table.data as Page).table).toHaveLength(21);
    expect((table.data as Page).table![0]).toEqual(['Plan', 'Price']);
    expect(table.attachments).toHaveLength(1);
    const csv = Buffer.from(table.attachments![0]!.data, 'base64').toString();
    expect(table.attachments![0]).toMatchObject({
      filename: expect.stringMatching(/prices\.csv$/),
      mimeType: 'text/csv',
    });
    expect(csv.split('\r\n')[20]).toBe('Plan 20,"€100, monthly"');

    const prices = await call('scrape', { url: `${web.base}/prices`, selector: '.price', format: 'json' });
    const items = (prices.data as { items: { text: string }[] }).items;
    expect(items.map((i) => i.text).slice(0, 2)).toEqual(['€5, monthly', '€10, monthly']);
    const json = JSON.parse(Buffer.from(prices.attachments![0]!.data, 'base64').toString()) as { items: unknown[] };
    expect(json.items).toHaveLength(20);
  });

  it('refuses a path robots.txt disallows, naming the rule, without fetching it', async () => {
    const res = await call('scrape', { url: `${web.base}/private/secret` });
    expect(res.success).toBe(false);
    expect(res.error).toBe(
      `localhost:${new URL(web.base).port}'s robots.txt does not allow fetching /private/secret (rule "Disallow: /private"), so I did not`,
    );
    expect(web.hits('/private/secret')).toBe(0);
  });

  it('refuses a redirect to 127.0.0.1, too many redirects and what is not a page', async () => {
    const loopback = await call('scrape', { url: `${web.base}/to-loopback` });
    expect(loopback.error).toBe('127.0.0.1 is a loopback address; the owner can allow it with PAIOS_ALLOW_HOSTS');
    const loop = await call('scrape', { url: `${web.base}/loop/6` });
    expect(loop.error).toBe(`${web.base}/loop/6 redirects more than 5 times; I stopped following it`);
    expect((await call('scrape', { url: `${web.base}/loop/5` })).success).toBe(true);
    const image = await call('scrape', { url: `${web.base}/logo.png` });
    expect(image.error).toBe(`${web.base}/logo.png is image/png, not a web page; I do not scrape that`);
  });

  it('renders a page that needs JavaScript in headless Chromium, its requests going through the fetcher', async () => {
    const res = await call('scrape', { url: `${web.base}/app` });
    expect(res.error).toBeUndefined();
    const page = res.data as Page;
    expect(page.rendered).toBe(true);
    expect(page.title).toBe('App');
    expect(page.text).toContain('Client-side paragraph 5');
    // The browser's own request for data came through paios (with its user agent).
    expect(web.requests.find((r) => r.path === '/api/greeting')?.headers['user-agent']).toMatch(/^paios-scraper\//);
  });

  it('crawls the site and its sitemap, same site only, robots.txt honoured', async () => {
    const res = await call('crawl', { url: `${web.base}/`, depth: 2, maxPages: 20 });
    const data = res.data as {
      pages: { url: string }[];
      skipped: { url: string; reason: string }[];
      pagesPerSecond: number;
    };
    expect(data.pages.map((p) => p.url).sort()).toEqual(
      ['/', '/articles/first', '/articles/second', '/prices'].map((p) => `${web.base}${p}`),
    );
    expect(data.skipped).toEqual([
      { url: `${web.base}/private/secret`, reason: expect.stringContaining('Disallow: /private') },
    ]);
    expect(res.attachments![0]!.mimeType).toBe('application/json');
    process.stdout.write(
      `crawl of the fake site (${kind}): ${data.pages.length} pages, ${data.pagesPerSecond} pages/s\n`,
    );

    const sitemap = await call('crawl', { url: `${web.base}/sitemap.xml` });
    expect((sitemap.data as { pages: unknown[] }).pages).toHaveLength(4);
  });

  it('watches a page: a change is stored, emitted as page.changed and told with a diff; then stopped', async () => {
    web.price = '€10 per month';
    const started = await call('watch_page', { url: `${web.base}/pricing`, selector: '.price', every: 'every hour' });
    expect(started.text).toBe(
      `Watching .price on Pricing (${web.base}/pricing) every hour; I will tell you here when it changes.`,
    );
    const watchId = (started.data as { id: string }).id;
    expect((await call('list_watches', {})).text).toBe(`- .price on ${web.base}/pricing (every hour)`);
    const schedules = await o.app.get(JobQueue).describeSchedules([`scraping.watch:${watchId}`]);
    expect(schedules.get(`scraping.watch:${watchId}`)).toBeDefined();

    const agent = o.app.get(WebScrapingAgent);
    expect(await agent.checkWatch({ watchId })).toBe('unchanged');
    web.price = '€12 per month';
    // Through the job queue, as the hourly schedule would run it.
    await o.app.get(JobQueue).enqueue('scraping.watch', { watchId });
    await waitFor(() => notices.some((n) => n.userId === userId && n.notice.text.includes('€12')));
    const told = notices.find((n) => n.userId === userId)!.notice.text;
    expect(told).toBe(
      `**.price on Pricing changed**\n${web.base}/pricing\n\n\`\`\`diff\n- €10 per month\n+ €12 per month\n\`\`\``,
    );
    await o.app.get(EventOutbox).settled();
    const events = await o.db.dataSource.query<{ name: string; payload: unknown }[]>(
      `SELECT name, payload FROM event_outbox WHERE user_id = $1 AND agent_number = 7`,
      [userId],
    );
    expect(events).toHaveLength(1);
    const payload = (
      typeof events[0]!.payload === 'string' ? JSON.parse(events[0]!.payload) : events[0]!.payload
    ) as Record<string, unknown>;
    expect(events[0]!.name).toBe('page.changed');
    expect(payload).toMatchObject({ watchId, url: `${web.base}/pricing`, diff: '- €10 per month\n+ €12 per month' });
    // The same page again: nothing new to tell.
    expect(await agent.checkWatch({ watchId })).toBe('unchanged');

    expect((await call('stop_watching', {})).text).toBe(`Stopped watching ${web.base}/pricing.`);
    expect((await call('list_watches', {})).text).toMatch(/^You are not watching any page/);
    expect(await agent.checkWatch({ watchId })).toBe('stopped');
  });

  it("tells which watched pages changed lately, and #1's daily digest carries them", async () => {
    const agent = o.app.get(WebScrapingAgent);
    const watch = async (parameters: Record<string, unknown>) =>
      ((await call('watch_page', { url: `${web.base}/pricing`, ...parameters })).data as { id: string }).id;
    const digest = async () =>
      (await o.app.get(ExecutorService).execute({ userId, agentNumber: 1, tool: 'daily_digest', parameters: {} })).text;
    web.price = '€30 per month';
    const older = await watch({ selector: '.price', every: 'every hour' });
    web.price = '€31 per month';
    expect(await agent.checkWatch({ watchId: older })).toBe('changed');
    // Three days later, another watch of the page (all of its text) sees a change.
    clock.advance(3 * 86_400_000);
    const newer = await watch({ every: 'daily' });
    web.price = '€32 per month';
    expect(await agent.checkWatch({ watchId: newer })).toBe('changed');

    expect((await call('recent_changes', {})).text).toBe(
      `Changed in the last day:\n- ${web.base}/pricing: - €31 per month / + €32 per month`,
    );
    expect((await call('recent_changes', { days: 7 })).text).toBe(
      [
        'Changed in the last 7 days:',
        `- ${web.base}/pricing: - €31 per month / + €32 per month`,
        `- .price on ${web.base}/pricing: - €30 per month / + €31 per month`,
      ].join('\n'),
    );
    expect(await digest()).toContain(`\nWatched pages: ${web.base}/pricing (- €31 per month / + €32 per month).`);

    // Two days on, nothing changed within a day: no line in the digest.
    clock.advance(2 * 86_400_000);
    expect((await call('recent_changes', {})).text).toBe('None of the pages you watch changed in the last day.');
    const quiet = await digest();
    expect(quiet).toMatch(/^Digest for /);
    expect(quiet).not.toContain('Watched pages');
    await call('stop_watching', {});
  });

  it('runs the workflow a change of a watched page triggers: page.changed -> a note with the diff', async () => {
    const agents = o.app.get(AgentRepository);
    const scraping = await agents.ensureForUser(userId, 7, 'web-scraping', '');
    const notes = await agents.ensureForUser(userId, 90, 'notes', '');
    await o.app.get(WorkflowsService).create(userId, {
      sourceAgentId: scraping.id,
      targetAgentId: notes.id,
      triggerConditions: { event: 'page.changed' },
      actions: { tool: 'remember', parameters: { text: 'price page {{payload.url}} changed: {{payload.diff}}' } },
    });
    web.price = '€20 per month';
    const started = await call('watch_page', { url: `${web.base}/pricing`, selector: '.price', every: 'every hour' });
    const watchId = (started.data as { id: string }).id;
    web.price = '€25 per month';
    await o.app.get(JobQueue).enqueue('scraping.watch', { watchId });
    const recall = () =>
      o.app.get(ExecutorService).execute({ userId, agentNumber: 90, tool: 'recall', parameters: {} });
    await waitFor(async () => ((await recall()).data as string[]).length > 0, 30_000);
    expect((await recall()).data).toEqual([`price page ${web.base}/pricing changed: - €20 per month\n+ €25 per month`]);
    await call('stop_watching', { url: `${web.base}/pricing` });
  });

  it('runs an Apify Actor with the token granted from the vault, results attached', async () => {
    const refused = await call('apify_run', { actor: 'apify/web-scraper' });
    expect(refused.error).toMatch(/^Apify needs your API token: store it in your vault as service "apify"/);

    const vault = o.app.get(VaultService);
    await vault.unlock(userId, 'scraping vault master');
    await vault.store(userId, 'apify', { token: 'apify_api_paios' });
    await vault.grant(userId, 7, 'apify');
    const res = await call('apify_run', {
      actor: 'apify/web-scraper',
      input: { startUrls: [{ url: 'https://example.com' }] },
    });
    expect(res.error).toBeUndefined();
    expect(res.text).toBe('apify/web-scraper finished: 1 result(s), attached as JSON.');
    expect(JSON.parse(Buffer.from(res.attachments![0]!.data, 'base64').toString())).toEqual([
      { url: 'https://example.com/', title: 'Example Domain' },
    ]);
    expect(runInputs(apify)).toEqual([{ startUrls: [{ url: 'https://example.com' }] }]);
    const unknown = await call('apify_run', { actor: 'someone/nothing' });
    expect(unknown.error).toBe('Apify refused: Actor was not found');
    expect(JSON.stringify(unknown)).not.toContain('apify_api_paios');
  });

  it('routes what people say to agent #7', async () => {
    const conversation = o.app.get(ConversationService);
    const turn = await conversation.handle({ userId, text: `scrape ${web.base}/articles/second` });
    expect(turn.decision.tool).toBe('scrape');
    expect(turn.reply).toMatch(/^\*\*Second article\*\*|^\*\*Lazy dogs\*\*/);
    const watching = await conversation.handle({ userId, text: 'what am I watching' });
    expect(watching.decision.tool).toBe('list_watches');
    const changed = await conversation.handle({ userId, text: 'any changes on watched sites today' });
    expect(changed.decision.tool).toBe('recent_changes');
  });
});
