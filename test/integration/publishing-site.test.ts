import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { load } from 'cheerio';
import { XMLParser } from 'fast-xml-parser';
import { PublishingModule } from '../../src/agents/publishing/publishing.module.js';
import { SiteController } from '../../src/api/site/site.controller.js';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';

/** The /site/ routes as `paios start` mounts them (outside the /api prefix, no token). */
@Module({ imports: [PublishingModule], controllers: [SiteController] })
class SiteRoutesModule {}

describe('the owner site over HTTP at /site/', () => {
  let chat: ChatApp;

  beforeAll(async () => {
    chat = await startChatApp({ env: { PAIOS_PUBLIC_URL: 'https://ada.example.com' }, modules: [SiteRoutesModule] });
    const users = chat.app.get(UserRepository);
    const { owner } = await users.makeOwner('owner-site@example.test', true);
    const executor = chat.app.get(ExecutorService);
    const call = (tool: string, parameters: Record<string, unknown>) =>
      executor.execute({ userId: owner.id, agentNumber: 29, tool, parameters });
    await call('new_post', { markdown: '---\ntitle: Hello, world\ntags: [intro]\n---\nFirst words.' });
    expect((await call('publish_post', { post: 'hello world' })).success).toBe(true);
  });
  afterAll(async () => {
    await chat?.close();
  });

  it('serves the index, the post, the tag page, RSS, Atom and the sitemap without a token', async () => {
    const index = await fetch(`${chat.url}/site/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(load(await index.text())('ul.posts li a').attr('href')).toBe('https://ada.example.com/site/hello-world/');
    const post = await fetch(`${chat.url}/site/hello-world/`);
    expect(load(await post.text())('article .content p').text()).toBe('First words.');
    expect((await fetch(`${chat.url}/site/tags/intro/`)).status).toBe(200);
    const xml = new XMLParser();
    const rss = xml.parse(await (await fetch(`${chat.url}/site/feed.xml`)).text()) as {
      rss: { channel: { item: { title: string } } };
    };
    expect(rss.rss.channel.item.title).toBe('Hello, world');
    const atom = await fetch(`${chat.url}/site/atom.xml`);
    expect(atom.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect((xml.parse(await atom.text()) as { feed: { entry: { id: string } } }).feed.entry.id).toBe(
      'https://ada.example.com/site/hello-world/',
    );
    expect(await (await fetch(`${chat.url}/site/sitemap.xml`)).text()).toContain(
      '<loc>https://ada.example.com/site/hello-world/</loc>',
    );
  });

  it('answers 404 for what is not part of the site', async () => {
    expect((await fetch(`${chat.url}/site/nothing-here/`)).status).toBe(404);
    expect((await fetch(`${chat.url}/site/..%2f..%2fpackage.json`)).status).toBe(404);
  });
});
