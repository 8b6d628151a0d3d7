import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AgentResponse, CallerChannel } from '../../agents/agent.contract.js';
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
  /**
   * The words or the answer may hold a secret: `response.sensitive` when a tool ran, else the
   * router's `decision.sensitive`. The reply then goes only to the person who asked, privately, by
   * the answer to their own request; events, history and speech never carry it.
   */
  sensitive: boolean;
}

/** Said on the realtime events instead of a sensitive turn's words and answer. */
export const WITHHELD_COMMAND = '(withheld)';
export const WITHHELD_REPLY = '(withheld: answered privately)';

/**
 * One turn of talking to paios, whatever the channel (REST, CLI, chat adapters, transcribed voice):
 * route, then execute or ask back, with the seed's voice:* events along the way. The words are
 * announced (`voice:command_received`) once the turn knows whether it is sensitive.
 */
@Injectable()
export class ConversationService {
  constructor(
    private readonly router: RouterService,
    private readonly executor: ExecutorService,
    private readonly interactions: InteractionRepository,
    private readonly events: SystemEvents,
  ) {}

  async handle(u: Utterance): Promise<ConversationTurn> {
    const text = u.text.trim();
    const started = performance.now();
    if (!u.dryRun) this.events.emit('voice:processing', u.userId, 'routing');
    const decision = await this.router.route(text, { channelAgent: u.channelAgent });
    if (u.dryRun)
      return {
        decision,
        reply: decision.clarification?.question ?? `would run #${decision.agentNumber} ${decision.tool}`,
        sensitive: decision.sensitive === true,
      };

    if (!isExecutable(decision)) {
      const reply = decision.clarification?.question ?? 'I could not work out what to do.';
      const sensitive = decision.sensitive === true;
      await this.interactions.record({
        userId: u.userId,
        agentId: null,
        commandText: sensitive ? '(withheld: a vault command)' : text,
        responseText: reply,
        status: 'clarify',
        executionTimeMs: performance.now() - started,
        origin: u.origin,
      });
      this.announce(u.userId, text, reply, sensitive);
      return { decision, reply, sensitive };
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
    const sensitive = response.sensitive === true;
    this.announce(u.userId, text, reply, sensitive);
    return { decision, response, reply, sensitive };
  }

  /** The seed's voice events for the user's clients: for a sensitive turn, that it happened only. */
  private announce(userId: string, text: string, reply: string, sensitive: boolean): void {
    this.events.emit('voice:command_received', userId, sensitive ? WITHHELD_COMMAND : text);
    this.events.emit('voice:response', userId, sensitive ? WITHHELD_REPLY : reply);
  }
}
