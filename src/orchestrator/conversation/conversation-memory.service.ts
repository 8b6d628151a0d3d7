import { Injectable, Logger } from '@nestjs/common';
import type { AgentResponse } from '../../sdk/agent.contract.js';
import { AgentRegistry } from '../registry/agent-registry.js';
import { isExecutable, type RouteDecision } from '../router/route-decision.js';
import { ConversationHistoryRepository, type RememberedTurn } from './conversation-history.repository.js';
import {
  mergeReferents,
  type ReferentKind,
  type Referents,
  referentsOf,
  repeatFor,
  resolveReferences,
  resolveSlots,
  sameFor,
  unresolvedSlot,
} from './referents.js';

/** What a conversation remembers when a new message comes in. */
export interface Recollection {
  /** Newest first; tool calls and results included (sensitive turns only as having happened). */
  turns: RememberedTurn[];
  referents: Referents;
}

/** The message as the router should read it: pointing words replaced, or a remembered call to repeat. */
export interface Understood {
  text: string;
  used: ReferentKind[];
  /** "the same for Globex": the last call, for Globex, decided without the router. */
  repeat?: RouteDecision;
}

/**
 * The memory of one conversation (a chat, or a thread of one): its recent turns and what they were
 * about. Before routing it turns "invoice them", "send it" and "the same for Globex" into what they
 * mean; after the turn it keeps the words, the tool call, its result and the referents they leave.
 * Per user, never across users; a sensitive turn leaves neither words nor referents.
 */
@Injectable()
export class ConversationMemory {
  private readonly logger = new Logger('ConversationMemory');

  constructor(
    private readonly history: ConversationHistoryRepository,
    private readonly registry: AgentRegistry,
  ) {}

  async recall(userId: string, conversation: string): Promise<Recollection> {
    const turns = await this.history.recent(userId, conversation);
    return { turns, referents: mergeReferents(turns.filter((t) => !t.sensitive).map((t) => t.referents)) };
  }

  understand(said: string, memory: Recollection): Understood {
    const target = sameFor(said);
    if (target) {
      const calls = memory.turns.flatMap((t) =>
        t.call && !t.sensitive ? [{ call: t.call, referents: t.referents }] : [],
      );
      const call = repeatFor(target, calls);
      if (call)
        return {
          text: said,
          used: [],
          repeat: {
            text: said,
            agentNumber: call.agentNumber,
            agentName: this.registry.get(call.agentNumber)?.name ?? null,
            tool: call.tool,
            parameters: call.parameters,
            confidence: 1,
            via: 'memory',
            scores: [],
            entities: [],
            missing: [],
          },
        };
    }
    return resolveReferences(said, memory.referents);
  }

  /**
   * A decision whose parameters still point back ("client": "them") gets what they point at; one that
   * points at something this conversation does not know asks who is meant instead of guessing.
   */
  fillSlots(decision: RouteDecision, memory: Recollection): RouteDecision {
    if (!isExecutable(decision)) return decision;
    const { parameters, used } = resolveSlots(decision.parameters, memory.referents);
    const filled = used.length ? { ...decision, parameters } : decision;
    const unknown = unresolvedSlot(filled.parameters);
    if (!unknown) return filled;
    const { [unknown.name]: _pointing, ...rest } = filled.parameters;
    return {
      ...filled,
      parameters: rest,
      missing: [unknown.name],
      clarification: {
        question: `Which ${unknown.name} do you mean by "${unknown.words}"? I don't remember one from this chat, so please name it.`,
        choices: [],
      },
    };
  }

  /** Keeps the turn; a failure to remember never fails the turn itself. */
  async remember(
    userId: string,
    conversation: string,
    turn: { said: string; reply: string; decision: RouteDecision; response?: AgentResponse; sensitive: boolean },
  ): Promise<void> {
    const { decision, response } = turn;
    const call =
      response && decision.agentNumber !== null && decision.tool !== null
        ? { agentNumber: decision.agentNumber, tool: decision.tool, parameters: decision.parameters }
        : undefined;
    try {
      await this.history.record(userId, conversation, {
        said: turn.said,
        reply: turn.reply,
        call,
        result: response?.success ? response.data : undefined,
        referents: call && response?.success && !turn.sensitive ? referentsOf(call, response.data) : {},
        sensitive: turn.sensitive,
      });
    } catch (err) {
      this.logger.warn(`a turn could not be remembered: ${(err as Error).message}`);
    }
  }
}
