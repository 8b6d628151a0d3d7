import { Inject, Injectable, Optional } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { OutboundClient } from '../../orchestrator/outbound/outbound.client.js';
import { defineAgent, type AgentDefinition } from '../../sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../sdk/builtin-agent.decorator.js';
import { VaultService } from '../../vault/vault.service.js';
import { researchConfigSchema } from './research.config.js';
import { SearchProviders } from './search-providers.js';
import { compareTool } from './tools/compare.tool.js';
import { recallTool } from './tools/recall.tool.js';
import { researchTool } from './tools/research.tool.js';
import { summarizeUrlTool } from './tools/summarize-url.tool.js';

/**
 * Agent #18, Research: question -> sources -> notes -> cited answer. Sources come from a search
 * provider (the server's SearXNG, or a Brave / Tavily key granted from the person's vault) or from
 * URLs the person gives; agent #7 reads the pages (this agent fetches none itself); passages are
 * ranked with BM25; a configured LLM writes the answer from the top passages, otherwise the best
 * sentences are quoted. Every sentence of an answer cites a page that was read, and every finding is
 * kept in agent memory for `recall`.
 *
 * Not yet: progress messages while it works (a tool has no way to speak before it returns).
 */
@BuiltinAgent()
@Injectable()
export class ResearchAgent implements AgentProvider {
  private readonly def: AgentDefinition;

  constructor(
    @Inject(PAIOS_CONFIG) config: PaiosConfig,
    outbound: OutboundClient,
    clock: Clock,
    @Optional() vault?: VaultService,
  ) {
    const deps = {
      providers: new SearchProviders(config, outbound, vault),
      clock,
    };
    this.def = defineAgent({
      manifest: {
        number: 18,
        name: 'research',
        description:
          'Researches questions on the web and answers with cited sources; compares options; recalls findings',
        version: '0.1.0',
        configSchema: researchConfigSchema,
        secrets: ['BRAVE_SEARCH_API_KEY', 'TAVILY_API_KEY'],
        events: [],
      },
      tools: [researchTool(deps), summarizeUrlTool(deps), compareTool(deps), recallTool(deps)],
    });
  }

  definition(): AgentDefinition {
    return this.def;
  }
}
