import { Injectable, Module } from '@nestjs/common';
import { z } from 'zod';
import { OutboundClient } from '../../src/orchestrator/outbound/outbound.client.js';
import { defineAgent, defineTool, type AgentDefinition } from '../../src/sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../src/sdk/builtin-agent.decorator.js';
import { ToolError } from '../../src/sdk/tool-error.js';

/** Every URL the double was asked to scrape, in order (what #18 asked #7 for). */
export const scraped: string[] = [];

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * A stand-in for agent #7 (Web Scraping) with its tool contract: `scrape { url }` answers data
 * `{ url, title, text, links, metadata }`. It fetches through the guarded OutboundClient, as #7 does.
 */
function webScrapingDouble(outbound: OutboundClient): AgentDefinition {
  return defineAgent({
    manifest: {
      number: 7,
      name: 'web-scraping',
      description: 'Reads web pages (test double)',
      version: '0.0.1',
      configSchema: z.object({}),
      secrets: [],
      events: [],
    },
    tools: [
      defineTool({
        name: 'scrape',
        description: 'Fetch a web page and return its text',
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
        input: z.object({ url: z.url() }),
        examples: [
          'scrape https://a.test',
          'fetch the page https://b.test',
          'read https://c.test',
          'get https://d.test',
          'download https://e.test',
        ],
        handler: async ({ url }, ctx) => {
          scraped.push(url);
          const res = await outbound.fetch(url, { signal: ctx.signal });
          if (!res.ok) throw new ToolError(`${url} answered ${res.status}`);
          const html = await res.text();
          const title = decode(/<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? '');
          const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1]!, url).toString());
          const text = decode(
            html
              .replace(/<(script|style|nav|footer)[\s\S]*?<\/\1>/gi, '')
              .replace(/<\/(p|h\d|li|div)>|<br\s*\/?>/gi, '\n')
              .replace(/<[^>]+>/g, ''),
          )
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
            .join('\n');
          return {
            text: title || url,
            data: { url: res.url || url, title, text, links, metadata: { status: res.status } },
          };
        },
      }),
    ],
  });
}

@BuiltinAgent()
@Injectable()
class WebScrapingDouble implements AgentProvider {
  private readonly def: AgentDefinition;
  constructor(outbound: OutboundClient) {
    this.def = webScrapingDouble(outbound);
  }
  definition = () => this.def;
}

/** Agent #7's test double as a built-in agent (OutboundClient from the orchestrator). */
@Module({ providers: [WebScrapingDouble] })
export class WebScrapingDoubleModule {}
