import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AgentResponse, CallerChannel } from '../../sdk/agent.contract.js';
import { SystemEvents } from '../events/system-events.js';
import { ExecutorService } from '../executor/executor.service.js';
import { type InteractionOrigin, InteractionRepository } from '../executor/interaction.repository.js';
import { isExecutable, type RouteChoice, type RouteDecision } from '../router/route-decision.js';
import { RouterService, type RouteOptions } from '../router/router.service.js';
import { CHOICE_COMMAND, choiceCommand, matchChoice } from './choice-matcher.js';
import { ConversationMemory, type Recollection } from './conversation-memory.service.js';
import { ConversationStateRepository, type PendingChoice } from './conversation-state.repository.js';
import { type LoopOutcome, ToolLoopService } from './tool-loop.service.js';

export interface Utterance extends RouteOptions {
  userId: string;
  text: string;
  /** Decide only; execute nothing, record nothing. */
  dryRun?: boolean;
  origin?: InteractionOrigin;
  /** Who is talking; the owner's own API or CLI when absent. */
  caller?: CallerChannel;
  /**
   * The chat this turn belongs to (platform, workspace, channel), where a clarifying question waits
   * for its answer; the REST voice endpoint when absent.
   */
  chat?: string;
  /**
   * The conversation this turn continues, whose earlier turns "them", "it" and "the same for X" point
   * into: the chat and its thread. `chat` when absent.
   */
  conversation?: string;
  /** Hears how a long tool call is going (ExecuteRequest.onProgress). */
  onProgress?: (text: string) => void;
  /** Shows an interim message while a request for several tools is worked through (rate-limited). */
  progress?: (text: string) => Promise<void>;
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
  /** The clarifying question kept for this chat: a choice button says `/choose <id> <n>`. */
  pendingChoiceId?: string;
}

/** The reply with what the router wants said besides (a budget nearly used up), on its own line. */
const withNotice = (reply: string, decision: RouteDecision) =>
  decision.notice ? `${reply}\n\n_${decision.notice}_` : reply;

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
    private readonly state: ConversationStateRepository,
    private readonly memory: ConversationMemory,
    private readonly loops: ToolLoopService,
  ) {}

  async handle(u: Utterance): Promise<ConversationTurn> {
    const said = u.text.trim();
    const started = performance.now();
    const chat = u.chat ?? 'api';
    const where = u.conversation ?? chat;
    const memory = await this.memory.recall(u.userId, where);
    let text: string;
    let decision: RouteDecision;
    let pendingChoiceId: string | undefined;
    if (!u.dryRun) this.events.emit('voice:processing', u.userId, 'routing');
    if (u.dryRun) ({ text, decision } = await this.understand(said, memory, u.channelAgent, u.userId));
    else {
      // An answer to the question asked in this chat re-runs the request it was about, on the chosen
      // tool; anything else is a new request (and the question is dropped).
      const pending = await this.state.pending(u.userId, chat);
      const confirmed = pending?.loop ? confirmation(said, pending.id) : undefined;
      if (pending?.loop && confirmed !== undefined) {
        if (!(await this.state.clear(u.userId, chat, pending.id))) return this.stale(u.userId, said);
        const outcome = await this.loops.resume(pending.loop, confirmed, this.loopRequest(u));
        return this.loopTurn(u, pending.loop.text, outcome);
      }
      const picked = await this.pick(u.userId, chat, said, pending);
      if (picked === 'stale') return this.stale(u.userId, said);
      if (picked) {
        text = picked.pending.text;
        decision = await this.router.routeTo(text, picked.choice.agentNumber, picked.choice.tool);
      } else {
        ({ text, decision } = await this.understand(said, memory, u.channelAgent, u.userId));
        if (decision.loop && this.loops.available) {
          if (pending) await this.state.clear(u.userId, chat);
          return this.loopTurn(u, text, await this.loops.start(text, decision.loop, this.loopRequest(u)));
        }
        const choices = decision.clarification?.choices ?? [];
        // A request near the vault may hold a secret: it is not kept for later.
        if (choices.length > 0 && decision.sensitive !== true) {
          const kept = await this.state.keep(u.userId, chat, { text, channelAgent: u.channelAgent, choices });
          pendingChoiceId = kept.id;
        } else if (pending) await this.state.clear(u.userId, chat);
      }
    }
    if (u.dryRun)
      return {
        decision,
        reply: decision.clarification?.question ?? `would run #${decision.agentNumber} ${decision.tool}`,
        sensitive: decision.sensitive === true,
      };

    if (!isExecutable(decision)) {
      const reply = withNotice(decision.clarification?.question ?? 'I could not work out what to do.', decision);
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
      await this.memory.remember(u.userId, where, { said: text, reply, decision, sensitive });
      return { decision, reply, sensitive, pendingChoiceId };
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
      onProgress: u.onProgress,
    });
    const reply = withNotice(
      response.success ? (response.text ?? 'done') : `Sorry: ${response.error ?? 'that failed'}`,
      decision,
    );
    const sensitive = response.sensitive === true;
    this.announce(u.userId, text, reply, sensitive);
    await this.memory.remember(u.userId, where, { said: text, reply, decision, response, sensitive });
    return { decision, response, reply, sensitive };
  }

  /**
   * Routes the words as the conversation so far explains them: "invoice them" is read as "invoice
   * Acme", "the same for Globex" repeats the last call for Globex without asking the router.
   */
  private async understand(
    said: string,
    memory: Recollection,
    channelAgent: number | undefined,
    userId: string,
  ): Promise<{ text: string; decision: RouteDecision }> {
    const understood = this.memory.understand(said, memory);
    if (understood.repeat) return { text: said, decision: understood.repeat };
    // Words that fit several agents lean toward the one this conversation used last.
    const recentAgent = memory.turns.find((t) => t.call)?.call?.agentNumber;
    const decision = await this.router.route(understood.text, { channelAgent, userId, recentAgent });
    return { text: understood.text, decision: this.memory.fillSlots(decision, memory) };
  }

  private stale(userId: string, said: string): ConversationTurn {
    const reply = 'That question has expired or was already answered. Please ask again.';
    this.announce(userId, said, reply, false);
    return { decision: this.router.unplaced(said, reply), reply, sensitive: false };
  }

  private loopRequest(u: Utterance) {
    return {
      userId: u.userId,
      caller: u.caller ?? { kind: 'api' as const, direct: true },
      origin: u.origin,
      progress: u.progress,
    };
  }

  /**
   * The turn a request for several tools ends with: the model's answer, or the question whether its
   * next step may run (yes / no buttons answering the question kept for this chat).
   */
  private async loopTurn(u: Utterance, text: string, outcome: LoopOutcome): Promise<ConversationTurn> {
    const chat = u.chat ?? 'api';
    const decision: RouteDecision = { ...this.router.unplaced(text, ''), via: 'llm', notice: outcome.notice };
    delete decision.clarification;
    let reply: string;
    let response: AgentResponse;
    let pendingChoiceId: string | undefined;
    if (outcome.kind === 'confirm') {
      const kept = await this.state.keep(u.userId, chat, { text, choices: [], loop: outcome.state });
      pendingChoiceId = kept.id;
      reply = withNotice(outcome.question, decision);
      response = {
        success: false,
        text: reply,
        buttons: [
          { label: 'Yes, go ahead', value: choiceCommand(kept.id, 1), style: 'primary' },
          { label: 'No, stop', value: choiceCommand(kept.id, 2) },
        ],
      };
    } else {
      reply = withNotice(outcome.text, decision);
      response = { success: outcome.success, text: reply };
    }
    this.announce(u.userId, text, reply, false);
    await this.memory.remember(u.userId, u.conversation ?? chat, { said: text, reply, decision, sensitive: false });
    return { decision, response, reply, sensitive: false, pendingChoiceId };
  }

  /** The seed's voice events for the user's clients: for a sensitive turn, that it happened only. */
  private announce(userId: string, text: string, reply: string, sensitive: boolean): void {
    this.events.emit('voice:command_received', userId, sensitive ? WITHHELD_COMMAND : text);
    this.events.emit('voice:response', userId, sensitive ? WITHHELD_REPLY : reply);
  }

  /**
   * Whether `said` answers the open question: a pressed button (`/choose <id> <n>`: 'stale' when that
   * question is gone), a number, an ordinal or the chosen tool's words. The question is taken once.
   */
  private async pick(
    userId: string,
    chat: string,
    said: string,
    pending: PendingChoice | undefined,
  ): Promise<{ pending: PendingChoice; choice: RouteChoice } | 'stale' | undefined> {
    const pressed = CHOICE_COMMAND.exec(said);
    if (pressed) {
      if (!pending || pending.id !== pressed[1]) return 'stale';
      const choice = pending.choices[Number(pressed[2]) - 1];
      if (!choice || !(await this.state.clear(userId, chat, pending.id))) return 'stale';
      return { pending, choice };
    }
    if (!pending) return undefined;
    const index = matchChoice(said, pending.choices);
    if (index === undefined) return undefined;
    if (!(await this.state.clear(userId, chat, pending.id))) return 'stale';
    return { pending, choice: pending.choices[index]! };
  }
}

/** Whether `said` answers a question to confirm a step: its buttons (1 yes, 2 no), or yes / no in words. */
function confirmation(said: string, pendingId: string): boolean | undefined {
  const pressed = CHOICE_COMMAND.exec(said);
  if (pressed) return pressed[1] === pendingId ? pressed[2] === '1' : undefined;
  if (/^(?:yes|y|yep|ok|okay|sure|go ahead|do it|confirm(?:ed)?)\b[\s!.]*$/i.test(said)) return true;
  if (/^(?:no|n|nope|cancel|stop|don't|do not)\b[\s!.]*$/i.test(said)) return false;
  return undefined;
}
