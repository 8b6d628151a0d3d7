import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AgentResponse, CallerChannel } from '../../agents/agent.contract.js';
import { AgentRegistry } from '../registry/agent-registry.js';
import { SystemEvents } from '../events/system-events.js';
import { ExecutorService } from '../executor/executor.service.js';
import { type InteractionOrigin, InteractionRepository } from '../executor/interaction.repository.js';
import { isExecutable, type RouteDecision } from '../router/route-decision.js';
import { RouterService, type RouteOptions } from '../router/router.service.js';

export interface Utterance extends RouteOptions {
  userId: string;
  text: string;
  /** Decide only; execute nothing, record nothing. */
  dryRun?: boolean;
  origin?: InteractionOrigin;
  /** Who is talking; the owner's own API or CLI when absent. */
  caller?: CallerChannel;
}

export interface ConversationTurn {
  decision: RouteDecision;
  /** The agent's response, when something was executed. */
  response?: AgentResponse;
  /** What to say back: the agent's answer, its error, or the clarifying question. */
  reply: string;
}

/**
 * One turn of talking to paios, whatever the channel (REST, CLI, chat adapters, transcribed voice):
 * route, then execute or ask back, with the seed's voice:* events along the way.
 */
@Injectable()
export class ConversationService {
  constructor(
    private readonly router: RouterService,
    private readonly executor: ExecutorService,
    private readonly interactions: InteractionRepository,
    private readonly events: SystemEvents,
    private readonly registry: AgentRegistry,
  ) {}

  /** Whether the words may carry a secret: they were routed to (or nearest to) a sensitive tool. */
  private sensitive(decision: RouteDecision): boolean {
    const candidates = [
      { agentNumber: decision.agentNumber, tool: decision.tool },
      ...(decision.clarification?.choices ?? []).slice(0, 1),
    ];
    return this.registry
      .catalog()
      .some((t) => t.sensitive && candidates.some((c) => c.agentNumber === t.agentNumber && c.tool === t.name));
  }

  async handle(u: Utterance): Promise<ConversationTurn> {
    const text = u.text.trim();
    const started = performance.now();
    const decision = await this.router.route(text, { channelAgent: u.channelAgent });
    const sensitive = this.sensitive(decision);
    const shown = sensitive ? '(withheld: a vault command)' : text;
    if (!u.dryRun) {
      this.events.emit('voice:command_received', u.userId, shown);
      this.events.emit('voice:processing', u.userId, 'routing');
    }
    if (u.dryRun)
      return {
        decision,
        reply: decision.clarification?.question ?? `would run #${decision.agentNumber} ${decision.tool}`,
      };

    if (!isExecutable(decision)) {
      const reply = decision.clarification?.question ?? 'I could not work out what to do.';
      await this.interactions.record({
        userId: u.userId,
        agentId: null,
        commandText: shown,
        responseText: reply,
        status: 'clarify',
        executionTimeMs: performance.now() - started,
        origin: u.origin,
      });
      this.events.emit('voice:response', u.userId, reply);
      return { decision, reply };
    }
    this.events.emit('voice:processing', u.userId, `running #${decision.agentNumber} ${decision.tool}`);
    const response = await this.executor.execute({
      userId: u.userId,
      agentNumber: decision.agentNumber!,
      tool: decision.tool!,
      parameters: decision.parameters,
      commandText: text,
      requestId: randomUUID(),
      origin: u.origin,
      caller: u.caller ?? { kind: 'api', direct: true },
    });
    const reply = response.success ? (response.text ?? 'done') : `Sorry: ${response.error ?? 'that failed'}`;
    this.events.emit('voice:response', u.userId, reply);
    return { decision, response, reply };
  }
}
