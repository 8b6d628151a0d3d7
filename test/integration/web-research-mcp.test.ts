import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { ResearchModule } from '../../src/agents/research/research.module.js';
import { WebScrapingModule } from '../../src/agents/web-scraping/web-scraping.module.js';
import { AuthenticateMiddleware } from '../../src/api/auth/authenticate.middleware.js';
import { TokenService } from '../../src/api/auth/token.service.js';
import { McpController } from '../../src/api/mcp/mcp.controller.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { searxngFake } from '../fakes/search.fake.js';
import { webFake } from '../fakes/web.fake.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';

/** `/mcp` as `paios start` serves it: the bearer token resolved by the API's own middleware. */
@Module({ controllers: [McpController], providers: [TokenService, AuthenticateMiddleware] })
class McpEndpointModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthenticateMiddleware).forRoutes(McpController);
  }
}

const textOf = (r: CallToolResult) => r.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('\n');

describe('an outside MCP client uses #7 web scraping and #18 research over /mcp', () => {
  let web: HttpFake;
  let searx: HttpFake;
  let app: ChatApp;
  let client: Client;

  beforeAll(async () => {
    web = await webFake().start();
    searx = await searxngFake(() => web.url).start();
    app = await startChatApp({
      env: { SEARXNG_URL: searx.url, PAIOS_ALLOW_HOSTS: '127.0.0.1' },
      modules: [WebScrapingModule, ResearchModule, McpEndpointModule],
    });
    const { token } = await app.app.get(TokenService).mint('mcp-client@example.test');
    client = new Client({ name: 'outside-client', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
    await app?.close();
    await searx?.stop();
    await web?.stop();
  });

  it('lists the scraping and research tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'web-scraping__scrape',
        'web-scraping__crawl',
        'research__research',
        'research__compare',
      ]),
    );
    expect(tools.find((t) => t.name === 'research__research')?.inputSchema).toMatchObject({
      type: 'object',
      properties: { question: { type: 'string' } },
    });
    expect(tools.find((t) => t.name === 'web-scraping__scrape')?.inputSchema).toMatchObject({
      properties: { url: { type: 'string' } },
    });
  });

  it('scrapes a page of the fake web', async () => {
    const result = (await client.callTool({
      name: 'web-scraping__scrape',
      arguments: { url: `${web.url}/crm-freelancers` },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('HubSpot CRM is free for up to two users');
  });

  it('researches a question with citations of the fake pages, telling its progress on the way', async () => {
    const progress: Progress[] = [];
    const result = (await client.callTool(
      { name: 'research__research', arguments: { question: 'the best CRM for freelancers' } },
      undefined,
      { onprogress: (p) => void progress.push(p) },
    )) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const text = textOf(result);
    expect(text).toMatch(/\[\d\]/);
    expect(text).toContain(`${web.url}/crm-freelancers`);
    expect(progress.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        'Searching the web for "the best CRM for freelancers"…',
        expect.stringMatching(/^Reading \d+ sources?…$/),
      ]),
    );
  });
});
