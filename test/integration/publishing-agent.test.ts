import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { load } from 'cheerio';
import { XMLParser } from 'fast-xml-parser';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PostRepository } from '../../src/agents/publishing/post.repository.js';
import { PublishingAgent } from '../../src/agents/publishing/publishing.agent.js';
import { PublishingModule } from '../../src/agents/publishing/publishing.module.js';
import { ResearchModule } from '../../src/agents/research/research.module.js';
import { FixedClock } from '../../src/common/clock.js';
import { MemoryService } from '../../src/orchestrator/memory/memory.service.js';
import { AgentRepository } from '../../src/orchestrator/registry/agent.repository.js';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import type { AgentResponse } from '../../src/sdk/agent.contract.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { VaultService } from '../../src/vault/vault.service.js';
import { GHOST_ADMIN_KEY, ghostFake, wordpressFake, type BlogFake } from '../fakes/blog-platforms.fake.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { postgresAvailable, type TestDatabase } from '../support/services.js';

const kinds: TestDatabase['kind'][] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

const PRICING = `---
title: Our new pricing
tags: [pricing, news]
summary: Simpler plans from January.
cover_image: https://img.example.com/pricing.png
---
We now have **two plans**: Solo and Team.

<script>alert(1)</script>

- Solo: 5 EUR
- Team: 12 EUR
`;

describe.each(kinds)('agent #29 publishing (%s)', (kind) => {
  let o: OrchestratorApp;
  let userId: string;
  let agent: PublishingAgent;
  let ghost: BlogFake;
  let wordpress: BlogFake;
  const clock = new FixedClock('2026-12-01T10:00:00Z');
  let call: (tool: string, parameters: Record<string, unknown>) => Promise<AgentResponse>;
  const site = (path: string) => readFile(join(agent.store.dir(userId), path), 'utf8');
  const events = async (name: string) =>
    (
      await o.db.dataSource.query<{ payload: Record<string, unknown> | string }[]>(
        `SELECT payload FROM event_outbox WHERE user_id = $1 AND agent_number = 29 AND name = $2 ORDER BY created_at`,
        [userId, name],
      )
    ).map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>);

  beforeAll(async () => {
    ghost = ghostFake();
    wordpress = wordpressFake();
    await ghost.http.start();
    await wordpress.http.start();
    o = await startOrchestrator(
      kind,
      {
        PAIOS_ALLOW_HOSTS: 'localhost',
        PAIOS_PUBLIC_URL: 'https://ada.example.com',
        VAULT_ARGON2_MEMORY_KIB: '19456',
        VAULT_ARGON2_ITERATIONS: '2',
        VAULT_ARGON2_PARALLELISM: '1',
      },
      [PublishingModule, ResearchModule, VaultModule],
      clock,
    );
    userId = (await o.app.get(UserRepository).upsertByEmail(`writer-${kind}@example.test`)).id;
    agent = o.app.get(PublishingAgent);
    const executor = o.app.get(ExecutorService);
    call = (tool, parameters) => executor.execute({ userId, agentNumber: 29, tool, parameters });
  });
  afterAll(async () => {
    await o?.close();
    await ghost?.http.stop();
    await wordpress?.http.stop();
  });

  it('keeps a draft from markdown with front matter, and each edit as a revision', async () => {
    const res = await call('new_post', { markdown: PRICING });
    expect(res.success).toBe(true);
    expect(res.text).toMatch(/^Draft saved: "Our new pricing" \(revision 1, \d+ words, tags pricing, news\)/);
    expect(res.buttons).toEqual([
      { label: 'Publish now', value: 'publish the post our-new-pricing', style: 'primary' },
    ]);
    const edited = await call('edit_post', { post: 'pricing', summary: 'Two simple plans from January.' });
    expect(edited.text).toMatch(/^Saved "Our new pricing" \(revision 2/);
    const post = (await o.app.get(PostRepository).list(userId))[0]!;
    const revisions = await o.app.get(PostRepository).revisions(post.id);
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(revisions[0]!.markdown).toContain('summary: Simpler plans from January.');
    expect(revisions[1]!.markdown).toContain('summary: Two simple plans from January.');
    // A second post with the same title gets its own address.
    const twin = await call('new_post', { markdown: '# Our new pricing\n\nDraft two.' });
    expect((twin.data as { slug: string }).slug).toBe('our-new-pricing-2');
    const drafts = await call('list_posts', { status: 'draft' });
    expect(drafts.text).toMatch(/^Your drafts \(2\):/);
  });

  it('asks which post when two fit, then publishes: HTML page, index, tag page, RSS, Atom, sitemap, event', async () => {
    const ask = await call('publish_post', { post: 'pricing' });
    expect(ask.text).toBe('Which post should I publish? "Our new pricing", "Our new pricing"');
    expect(ask.buttons?.map((b) => b.value).sort()).toEqual([
      'publish the post our-new-pricing',
      'publish the post our-new-pricing-2',
    ]);
    const res = await call('publish_post', { post: 'our-new-pricing' });
    expect(res.text).toBe('Published "Our new pricing" — https://ada.example.com/site/our-new-pricing/');

    const $ = load(await site('our-new-pricing/index.html'));
    expect($('title').text()).toBe('Our new pricing · My site');
    expect($('article h1').text()).toBe('Our new pricing');
    expect($('article .content strong').text()).toBe('two plans');
    expect($('article .content li')).toHaveLength(2);
    expect($('script')).toHaveLength(0);
    expect($('article .content').text()).toContain('<script>alert(1)</script>');
    expect($('link[rel=canonical]').attr('href')).toBe('https://ada.example.com/site/our-new-pricing/');
    expect($('meta[property="og:image"]').attr('content')).toBe('https://img.example.com/pricing.png');
    expect(
      $('a[rel=tag]')
        .map((_, a) => $(a).attr('href'))
        .get(),
    ).toEqual(['https://ada.example.com/site/tags/pricing/', 'https://ada.example.com/site/tags/news/']);
    const index = load(await site('index.html'));
    expect(index('ul.posts li a').text()).toBe('Our new pricing');
    expect(load(await site('tags/news/index.html'))('ul.posts li a').attr('href')).toBe(
      'https://ada.example.com/site/our-new-pricing/',
    );

    const rss = xml.parse(await site('feed.xml')) as { rss: { '@version': string; channel: Record<string, unknown> } };
    expect(rss.rss['@version']).toBe('2.0');
    expect(rss.rss.channel).toMatchObject({
      title: 'My site',
      link: 'https://ada.example.com/site/',
      description: 'Notes and posts',
    });
    const item = rss.rss.channel.item as Record<string, unknown>;
    expect(item).toMatchObject({ title: 'Our new pricing', link: 'https://ada.example.com/site/our-new-pricing/' });
    expect(new Date(item.pubDate as string).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    const atom = xml.parse(await site('atom.xml')) as { feed: Record<string, unknown> };
    expect(atom.feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(atom.feed).toMatchObject({
      id: 'https://ada.example.com/site/',
      title: 'My site',
      updated: '2026-12-01T10:00:00.000Z',
    });
    const entry = atom.feed.entry as Record<string, unknown>;
    expect(entry).toMatchObject({
      id: 'https://ada.example.com/site/our-new-pricing/',
      updated: '2026-12-01T10:00:00.000Z',
    });
    expect((entry.title as { '#text'?: string })['#text'] ?? entry.title).toBe('Our new pricing');
    const sitemap = xml.parse(await site('sitemap.xml')) as { urlset: { url: { loc: string }[] } };
    expect(sitemap.urlset.url.map((u) => u.loc)).toContain('https://ada.example.com/site/our-new-pricing/');

    expect(await events('post.published')).toEqual([
      expect.objectContaining({ slug: 'our-new-pricing', url: 'https://ada.example.com/site/our-new-pricing/' }),
    ]);
    // Again: nothing changes and no second event.
    expect((await call('publish_post', { post: 'our-new-pricing' })).text).toBe(
      'Already published: "Our new pricing" — https://ada.example.com/site/our-new-pricing/',
    );
    expect(await events('post.published')).toHaveLength(1);
    // /site/ serves the owner's site; nothing outside it.
    await o.app.get(UserRepository).makeOwner(`writer-${kind}@example.test`, true);
    expect((await agent.siteFile('feed.xml'))?.type).toBe('application/xml; charset=utf-8');
    expect((await agent.siteFile(''))?.body.toString()).toContain('Our new pricing');
    expect((await agent.siteFile('our-new-pricing'))?.type).toBe('text/html; charset=utf-8');
    expect(await agent.siteFile('../../package.json')).toBeUndefined();
    expect(await agent.siteFile('%2e%2e/%2e%2e/package.json')).toBeUndefined();
    expect(await agent.siteFile('our-new-pricing-2/')).toBeUndefined();
  });

  it('publishes a scheduled post when the clock reaches its time, also after downtime', async () => {
    await call('new_post', { markdown: '# Launch notes\n\nWe launched.', tags: ['news'] });
    const res = await call('publish_post', { post: 'launch notes', at: '2026-12-03', time: '09:30' });
    expect(res.text).toBe('"Launch notes" is scheduled for 2026-12-03 09:30 UTC.');
    await agent.publishDue();
    expect((await call('list_posts', { status: 'scheduled' })).text).toMatch(
      /Launch notes — scheduled for 2026-12-03 09:30 UTC/,
    );
    // paios was down at 09:30; the first run after it is back publishes it once.
    clock.set('2026-12-03T11:02:00Z');
    await agent.publishDue();
    await agent.publishDue();
    expect((await events('post.published')).map((e) => e.slug)).toEqual(['our-new-pricing', 'launch-notes']);
    expect((await call('list_posts', { status: 'draft' })).text).toMatch(/^Your drafts \(1\):/);
    expect(
      load(await site('index.html'))('ul.posts li a')
        .map((_, a) => load(a).text())
        .get(),
    ).toEqual(['Launch notes', 'Our new pricing']);
  });

  it('unpublishes: gone from the index, the feeds, the tag page and the sitemap', async () => {
    const res = await call('unpublish_post', { post: 'launch notes' });
    expect(res.text).toBe('"Launch notes" is off your site, back to draft.');
    const feed = await site('feed.xml');
    expect(feed).not.toContain('Launch notes');
    expect(await site('atom.xml')).not.toContain('launch-notes');
    expect(await site('sitemap.xml')).not.toContain('launch-notes');
    expect(load(await site('tags/news/index.html'))('ul.posts li')).toHaveLength(1);
    await expect(site('launch-notes/index.html')).rejects.toThrow(/ENOENT/);
    expect(await events('post.unpublished')).toEqual([expect.objectContaining({ slug: 'launch-notes' })]);
  });

  it('copies a post to Ghost and WordPress once, even when their answer to the create is lost', async () => {
    const vault = o.app.get(VaultService);
    await vault.unlock(userId, 'publishing vault master');
    await vault.store(userId, 'ghost', {
      url: ghost.http.url.replace('127.0.0.1', 'localhost'),
      adminKey: GHOST_ADMIN_KEY,
    });
    await vault.store(userId, 'wordpress', {
      url: wordpress.http.url.replace('127.0.0.1', 'localhost'),
      username: 'ada',
      applicationPassword: 'abcd efgh ijkl mnop',
    });
    await vault.grant(userId, 29, 'ghost');
    await vault.grant(userId, 29, 'wordpress');
    ghost.loseNextCreateAnswer();
    wordpress.loseNextCreateAnswer();

    const res = await call('publish_post', { post: 'launch notes' });
    expect(res.text).toBe(
      'Published "Launch notes" — https://ada.example.com/site/launch-notes/\n✓ published on Ghost — https://blog.example.com/launch-notes/\n✓ published on WordPress — https://wp.example.com/launch-notes/',
    );
    expect(ghost.creates()).toBe(1);
    expect(wordpress.creates()).toBe(1);
    expect([...ghost.posts.values()]).toEqual([
      expect.objectContaining({ slug: 'launch-notes', status: 'published', tags: ['news'] }),
    ]);
    expect([...wordpress.posts.values()][0]!.html).toContain('<p>We launched.</p>');

    // An edit of the published post updates the copies instead of creating new ones.
    await call('edit_post', { post: 'launch notes', title: 'Launch notes, revised' });
    expect(ghost.creates()).toBe(1);
    expect([...ghost.posts.values()][0]!.title).toBe('Launch notes, revised');
    expect([...wordpress.posts.values()][0]!.title).toBe('Launch notes, revised');

    await call('unpublish_post', { post: 'launch notes' });
    expect([...ghost.posts.values()][0]!.status).toBe('draft');
    expect([...wordpress.posts.values()][0]!.status).toBe('draft');
    expect(JSON.stringify(res)).not.toContain(GHOST_ADMIN_KEY.split(':')[1]);
  });

  it("drafts a post from agent #18's latest research, sources as links, ready to publish", async () => {
    const none = await call('post_from_research', {});
    expect(none.error).toBe('There is no research to turn into a post yet: ask agent #18 to research something first.');
    const research = await o.app.get(AgentRepository).ensureForUser(userId, 18, 'research', '');
    await o.app.get(MemoryService).save(research.id, 'research', {
      kind: 'research',
      question: 'which heat pump suits an old house',
      answer: 'Air-to-water heat pumps work in old houses when the radiators are large enough [1]. Insulate first [2].',
      method: 'extractive',
      sources: [
        { n: 1, title: 'Heat pumps in old buildings', url: 'https://energy.example.org/old-buildings' },
        { n: 2, title: '', url: 'https://insulate.example.com/' },
      ],
      at: '2026-12-01T09:00:00.000Z',
    });
    const res = await call('post_from_research', {});
    expect(res.text).toMatch(/^Draft from research saved: "Which heat pump suits an old house" \(revision 1/);
    expect(res.buttons?.[0]?.value).toBe('publish the post which-heat-pump-suits-an-old-house');
    const post = (await o.app.get(PostRepository).list(userId, 'draft')).find((p) => p.tags.includes('research'))!;
    expect(post.summary).toBe('Air-to-water heat pumps work in old houses when the radiators are large enough [1].');
    expect(post.body).toContain(
      '## Sources\n\n1. [Heat pumps in old buildings](https://energy.example.org/old-buildings)',
    );
    expect(post.body).toContain('2. [https://insulate.example.com/](https://insulate.example.com/)');
  });
});
