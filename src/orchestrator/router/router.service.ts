import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { AgentRegistry } from '../registry/agent-registry.js';
import type { ToolInfo } from '../registry/agent-spec.js';
import { parseAddress, stripSlashCommand } from './address.parser.js';
import { EntityExtractor } from './entity-extractor.js';
import { ModelFileCache } from './model-file-cache.js';
import { IntentClassifier, type IntentScore } from './intent-classifier.js';
import { isBudgetExhausted } from '../llm/llm.errors.js';
import { pruneCatalog } from './llm/catalog-pruning.js';
import { fillParameters } from './parameter-filler.js';
import { applyPriors, SECRET_WORDS } from './route-priors.js';
import { LLM_ROUTER, type LlmRouter, type RouteChoice, type RouteDecision, type RouteVia } from './route-decision.js';

export interface RouteOptions {
  /** The agent a channel is bound to (a Discord channel per agent, say). */
  channelAgent?: number;
  /** Who is asking: a call to the LLM counts against their budget. */
  userId?: string;
  /** The agent the conversation used last: words that fit several agents lean toward it. */
  recentAgent?: number;
}

/**
 * A greeting or a plea for help as the whole message ("help", "what can you do", "hi"): answered with
 * what paios can do, never handed to the nearest tool.
 */
const HELP =
  /^(?:help|\?|menu|commands|what can (?:you|u|paios) do|what do you do|how does (?:this|it|paios) work|how do i use (?:this|you|paios)|hi|hello|hey|good (?:morning|afternoon|evening)|thanks|thank you|cheers)(?:\s+(?:please|paios|there))?[\s!.?]*$/i;

/**
 * Text -> agent, tool and parameters. Explicit addresses win; then the local NLU model (retrained on
 * every registry change); then, when configured, an LLM with tool calling over the catalog. Below
 * the confidence threshold it asks back with the best choices instead of guessing.
 */
/**
 * Words asking for several things in a row or for each of many ("invoice every client whose
 * milestone finished and send me the total", "list my notes and then add 2 and 3"): one tool call
 * cannot do them, the model's tool loop can.
 */
const SEVERAL = new RegExp(
  [
    // "every client", "each page", but not a schedule ("every hour", "each monday", "every 2 days")
    String.raw`\b(?:every|each)\s+(?!(?:other\s+|\d+\s*)?(?:second|minute|hour|day|night|week|weekday|weekend|month|quarter|year|morning|evening|afternoon|monday|tuesday|wednesday|thursday|friday|saturday|sunday|time)s?\b)`,
    String.raw`\band then\b|\bthen (?:send|email|tell|show|give|add|list|make|create)\b`,
    String.raw`\band (?:send|email|mail|tell|text|give|show|report|sum|total)\b`,
  ].join('|'),
  'i',
);
export const needsSeveralTools = (text: string): boolean => SEVERAL.test(text);

/**
 * Just under the threshold but with no rival: the best tool has nearly half of everything and eight
 * times the next one ("jot down water the plants" for a notes agent with five examples among 50 tools,
 * whose unseen words spread the rest over what no agent serves). Asking back with a single choice
 * would only cost a tap.
 */
const dominant = (scores: { score: number }[]): boolean =>
  (scores[0]?.score ?? 0) >= 0.45 && (scores[0]?.score ?? 0) >= 8 * (scores[1]?.score ?? 0);

@Injectable()
export class RouterService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Router');
  private readonly entities = new EntityExtractor();
  private classifier?: Promise<IntentClassifier>;
  private catalog: ToolInfo[] = [];
  private readonly modelCache?: ModelFileCache;

  constructor(
    private readonly registry: AgentRegistry,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    @Optional() @Inject(LLM_ROUTER) private readonly llm?: LlmRouter,
  ) {
    if (config.cacheDir) this.modelCache = new ModelFileCache(config.cacheDir);
  }

  onApplicationBootstrap(): void {
    this.registry.onChange(() => void this.retrain());
    void this.retrain();
  }

  /** Retrains from the current catalog; routing waits for the newest model. */
  retrain(): Promise<IntentClassifier> {
    this.catalog = this.registry.catalog();
    const started = performance.now();
    const training = IntentClassifier.train(this.catalog, this.modelCache);
    this.classifier = training;
    void training.then(
      (c) => this.logger.log(`trained on ${c.toolCount} tools in ${Math.round(performance.now() - started)} ms`),
      (err: unknown) => this.logger.error(`training failed: ${(err as Error).message}`),
    );
    return training;
  }

  async route(input: string, options: RouteOptions = {}): Promise<RouteDecision> {
    const text = input.trim();
    const classifier = await (this.classifier ?? this.retrain());
    const address = parseAddress(text);
    let agentNumber: number | undefined;
    let via: RouteVia = 'nlu';
    let rest = text;

    if (address) {
      const slot =
        typeof address.agent === 'number' ? this.registry.get(address.agent) : this.registry.findByName(address.agent);
      if (slot) {
        agentNumber = slot.agentNumber;
        rest = address.rest;
        via = 'address';
      } else if (typeof address.agent === 'number' || !/^\/paios/i.test(text)) {
        return this.none(
          text,
          `There is no agent ${typeof address.agent === 'number' ? `#${address.agent}` : `@${address.agent}`}. ${this.agentList()}`,
        );
      } else {
        rest = stripSlashCommand(text); // "/paios what did we make": not an agent name after all
      }
    } else if (/^\/paios\b/i.test(text)) {
      rest = stripSlashCommand(text);
    }
    if (agentNumber === undefined && options.channelAgent !== undefined && this.registry.has(options.channelAgent)) {
      agentNumber = options.channelAgent;
      via = 'channel';
    }

    if (agentNumber !== undefined) {
      const slot = this.registry.get(agentNumber)!;
      if (slot.state !== 'active') {
        return this.none(
          text,
          `Agent #${slot.agentNumber} ${slot.name} is ${slot.enabled ? 'not running' : 'disabled'}.`,
        );
      }
    }
    if (agentNumber === undefined && HELP.test(rest)) return this.none(text, this.help());
    const entities = await this.entities.extract(rest);
    const classified = rest ? classifier.classify(rest, agentNumber) : { scores: [], outOfScope: 1 };
    const { scores, outOfScope } =
      agentNumber === undefined
        ? applyPriors(classified, { text: rest, entities, catalog: this.catalog, recentAgent: options.recentAgent })
        : classified;
    const threshold = this.config.router.confidence;
    const base = { text, rest, entities, scores };

    if (agentNumber !== undefined) {
      const tools = this.catalog.filter((t) => t.agentNumber === agentNumber);
      // "#91 add 2 3" names the tool outright.
      const named = tools
        .filter((t) => new RegExp(`^${t.name.replace(/_/g, '[ _]')}(\\s|$)`, 'i').test(rest))
        .sort((a, b) => b.name.length - a.name.length)[0];
      if (named) return this.decide(base, named, 1, via);
      const top = scores[0];
      if (tools.length === 1) return this.decide(base, tools[0]!, 1, via);
      if (top && top.score >= threshold && top.score > outOfScope)
        return this.decide(base, this.tool(top)!, top.score, via);
      // Words like none of this agent's tools ("#15 Acme"): its tools in its own order, not by noise.
      const choices = this.choices(
        top && top.score > outOfScope
          ? scores
          : tools.map((t) => ({ agentNumber: t.agentNumber, tool: t.name, score: 0 })),
      );
      return this.clarify(base, via, `Which one do you mean for #${agentNumber}?`, choices, agentNumber);
    }

    const top = scores[0];
    // Nearer to what no tool serves than to any tool: no tool is offered for it.
    const inScope = top !== undefined && top.score > outOfScope;
    // Words that may hold a secret never leave for an LLM: they speak of one, or they are nearest to a
    // sensitive tool (the vault). The local router still answers them.
    const nearSensitive =
      SECRET_WORDS.test(rest) || (top !== undefined && top.score >= 0.2 && this.tool(top)?.sensitive === true);
    // Only the local model's best candidates are offered: a small prompt, and never a vault tool.
    const candidates =
      this.llm && !nearSensitive ? pruneCatalog(this.catalog, scores, rest, this.config.llm.tools.candidates) : [];
    // A request for several tools in a row goes to the model's tool loop, even when one tool fits well.
    if (candidates.length > 0 && needsSeveralTools(rest))
      return { ...this.none(text, 'Working through several tools.', scores, entities), via: 'llm', loop: candidates };
    if (inScope && (top.score >= threshold || dominant(scores)))
      return this.decide(base, this.tool(top)!, top.score, 'nlu');
    if (this.llm && candidates.length > 0) {
      try {
        const choice = await this.llm.choose(
          rest,
          candidates.map((t) => ({
            agentNumber: t.agentNumber,
            name: t.name,
            description: t.description,
            inputSchema: t.inputSchema,
          })),
          { userId: options.userId },
        );
        const notice = choice.budgetWarning ? { notice: choice.budgetWarning } : {};
        if ('reply' in choice) {
          const offered = inScope ? this.choices(scores) : [];
          return { ...this.clarify(base, 'llm', choice.reply, offered), llmReply: choice.reply, ...notice };
        }
        const tool = this.catalog.find((t) => t.agentNumber === choice.agentNumber && t.name === choice.tool);
        if (tool) return { ...this.decide(base, tool, top?.score ?? 0, 'llm', choice.parameters), ...notice };
      } catch (err) {
        // A used-up budget is said plainly; what the local model can place still runs.
        if (isBudgetExhausted(err)) {
          const choices = this.choices(scores.filter((s) => s.score > 0.05));
          return this.clarify(
            base,
            'none',
            choices.length ? `${err.message}\nDid you mean one of these?` : err.message,
            choices,
          );
        }
        this.logger.warn(`LLM routing (${this.llm.provider}) failed, asking back instead: ${(err as Error).message}`);
      }
    }

    const choices = inScope ? this.choices(scores.filter((s) => s.score > 0.05)) : [];
    if (choices.length === 0)
      return this.none(
        text,
        `I don't know which agent can do that: none of mine does. ${this.help()}`,
        scores,
        entities,
      );
    return this.clarify(base, 'nlu', 'I am not sure what you mean. Did you mean one of these?', choices);
  }

  /**
   * The request `input` for one named tool, chosen by the person from a clarifying question: its
   * parameters come from the request's own words (without any address), through that tool's extractor.
   */
  async routeTo(input: string, agentNumber: number, toolName: string): Promise<RouteDecision> {
    const text = input.trim();
    const tool = this.catalog.find((t) => t.agentNumber === agentNumber && t.name === toolName);
    const slot = this.registry.get(agentNumber);
    if (!tool || !slot) return this.none(text, `#${agentNumber} ${toolName} is not available any more.`);
    if (slot.state !== 'active')
      return this.none(
        text,
        `Agent #${slot.agentNumber} ${slot.name} is ${slot.enabled ? 'not running' : 'disabled'}.`,
      );
    const address = parseAddress(text);
    let rest = text;
    if (address) {
      const known = typeof address.agent === 'number' || this.registry.findByName(address.agent) !== undefined;
      rest = known ? address.rest : stripSlashCommand(text);
    } else if (/^\/paios\b/i.test(text)) rest = stripSlashCommand(text);
    // "#15 add_client bill acme" (a choice typed out in full): the tool's own name is no parameter.
    rest = rest.replace(new RegExp(`^${tool.name.replace(/_/g, '[ _]')}(\\s+|$)`, 'i'), '');
    const entities = await this.entities.extract(rest);
    return this.decide({ text, rest, entities, scores: [] }, tool, 1, 'choice');
  }

  /** A decision that places nothing and says `message` (a stale answer, say). */
  unplaced(text: string, message: string): RouteDecision {
    return this.none(text, message);
  }

  private tool(s: IntentScore): ToolInfo | undefined {
    return this.catalog.find((t) => t.agentNumber === s.agentNumber && t.name === s.tool);
  }

  private decide(
    base: Pick<RouteDecision, 'text' | 'entities' | 'scores'> & { rest: string },
    tool: ToolInfo,
    confidence: number,
    via: RouteVia,
    given?: Record<string, unknown>,
  ): RouteDecision {
    const filled = fillParameters(tool.inputSchema, base.entities, { text: base.rest, examples: tool.examples });
    if (!given && tool.extract) {
      try {
        const own = tool.extract(base.rest, base.entities);
        for (const [k, v] of Object.entries(own)) if (v !== undefined) filled.parameters[k] = v;
        filled.missing = filled.missing.filter((name) => filled.parameters[name] === undefined);
      } catch (err) {
        this.logger.warn(`extract of ${tool.agentName}.${tool.name} failed: ${(err as Error).message}`);
      }
    }
    const parameters = given ?? filled.parameters;
    const missing = given ? [] : filled.missing;
    const { rest: _rest, ...shown } = base;
    const decision: RouteDecision = {
      ...shown,
      agentNumber: tool.agentNumber,
      agentName: tool.agentName,
      tool: tool.name,
      parameters,
      confidence: Math.round(confidence * 1000) / 1000,
      via,
      missing,
    };
    if (missing.length > 0) {
      decision.clarification = {
        question: `To ${tool.description.toLowerCase()} I also need: ${missing.join(', ')}.`,
        choices: [],
      };
      if (tool.sensitive) decision.sensitive = true;
    }
    return decision;
  }

  private clarify(
    { rest: _rest, ...base }: Pick<RouteDecision, 'text' | 'entities' | 'scores'> & { rest: string },
    via: RouteVia,
    question: string,
    choices: RouteChoice[],
    agentNumber?: number,
  ): RouteDecision {
    const numbered = choices.map((c, i) => `${i + 1}. #${c.agentNumber} ${c.agentName}: ${c.description}`).join('\n');
    return {
      ...base,
      agentNumber: agentNumber ?? null,
      agentName: agentNumber !== undefined ? (this.registry.get(agentNumber)?.name ?? null) : null,
      tool: null,
      parameters: {},
      confidence: Math.round((base.scores[0]?.score ?? 0) * 1000) / 1000,
      via,
      missing: [],
      clarification: { question: numbered ? `${question}\n${numbered}` : question, choices },
      ...(choices[0] && this.tool(choices[0])?.sensitive ? { sensitive: true } : {}),
    };
  }

  private none(
    text: string,
    message: string,
    scores: IntentScore[] = [],
    entities: RouteDecision['entities'] = [],
  ): RouteDecision {
    return {
      text,
      agentNumber: null,
      agentName: null,
      tool: null,
      parameters: {},
      confidence: 0,
      via: 'none',
      scores,
      entities,
      missing: [],
      clarification: { question: message, choices: [] },
    };
  }

  private choices(scores: IntentScore[]): RouteChoice[] {
    return scores.slice(0, 3).flatMap((s) => {
      const t = this.tool(s);
      return t
        ? [
            {
              agentNumber: t.agentNumber,
              agentName: t.agentName,
              tool: t.name,
              description: t.description,
              score: Math.round(s.score * 1000) / 1000,
            },
          ]
        : [];
    });
  }

  /** What each running agent does, with one thing to try: the honest answer to "what can you do". */
  private help(): string {
    const agents = this.registry.list().filter((s) => s.state === 'active');
    if (agents.length === 0) return 'No agent is running, so there is nothing I can do yet.';
    const lines = agents
      .sort((a, b) => a.agentNumber - b.agentNumber)
      .map((a) => {
        const example = this.catalog.find((t) => t.agentNumber === a.agentNumber && t.examples.length)?.examples[0];
        return `- #${a.agentNumber} ${a.name}: ${a.description}${example ? ` (try "${example}")` : ''}`;
      });
    return `Here is what I can do:\n${lines.join('\n')}\nAddress one directly with "#<number> ..." when I guess wrong.`;
  }

  private agentList(): string {
    const agents = this.registry.list().filter((s) => s.state === 'active');
    return agents.length
      ? `Agents: ${agents.map((a) => `#${a.agentNumber} @${a.name}`).join(', ')}.`
      : 'No agent is running.';
  }
}
