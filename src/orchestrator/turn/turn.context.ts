import type { InteractionOrigin } from '../executor/interaction.repository.js';
import type { ChatActivity, ChatAddress, ChatCapabilities, TurnMessage, Reply, Responder } from './turn.contract.js';

/** How a turn ended, as the adapters and tests see it. */
export type TurnOutcome = 'duplicate' | 'pairing' | 'rate_limited' | 'untranscribed' | 'answered' | 'failed';

/** The paios user behind the platform account. */
export interface TurnUser {
  id: string;
  email: string;
}

/**
 * The one object every step of a turn reads and writes. A step that answers sets `reply` (and
 * `outcome`) and returns without calling `next`; the pipeline then sends whatever `reply` holds.
 */
export interface TurnContext {
  readonly msg: TurnMessage;
  /** The only way to the platform: send (the pipeline does) and show activity. */
  readonly outlet: Responder;
  readonly capabilities: ChatCapabilities;
  outcome: TurnOutcome;
  /** Set by the admission step; every later step may rely on it. */
  user?: TurnUser;
  /** What the person said: typed, or heard from a voice note. */
  text: string;
  origin: InteractionOrigin;
  reply?: Reply;
}

export type Next = () => Promise<void>;

/** One step of the turn, `(ctx, next)` as in grammY: call `next` to hand on, or answer and stop. */
export interface TurnStep {
  run(ctx: TurnContext, next: Next): Promise<void>;
}

export function newTurnContext(msg: TurnMessage, outlet: Responder, capabilities: ChatCapabilities): TurnContext {
  return {
    msg,
    outlet,
    capabilities,
    outcome: 'answered',
    text: msg.text?.trim() ?? '',
    origin: { channel: msg.platform, inputKind: msg.audio ? 'voice' : 'text' },
  };
}

/** Ends the turn with this answer (sent by the pipeline). */
export function answer(ctx: TurnContext, reply: Reply, outcome: TurnOutcome = 'answered'): void {
  ctx.reply = reply;
  ctx.outcome = outcome;
}

/** Progress for the person; a platform that cannot show it, or fails to, does not stop the turn. */
export async function showActivity(ctx: TurnContext, what: ChatActivity): Promise<void> {
  await ctx.outlet.activity?.(what).catch(() => undefined);
}

/** The user a step after identity may rely on. */
export function userOf(ctx: TurnContext): TurnUser {
  if (!ctx.user) throw new Error('the turn has no user: the admission step must run first');
  return ctx.user;
}

/** The conversation a chat address holds: per platform, workspace and channel (threads share it). */
export const chatKey = (a: ChatAddress): string => `${a.platform}:${a.workspace}:${a.channel}`;

/** What a conversation remembers belongs to its chat and thread: a Slack thread or a forum topic is its own. */
export const conversationKey = (a: ChatAddress): string => (a.thread ? `${chatKey(a)}:${a.thread}` : chatKey(a));

/** Runs the steps in order, each deciding whether the rest run (grammY's middleware composition). */
export function compose(steps: readonly TurnStep[]): (ctx: TurnContext) => Promise<void> {
  return (ctx) => {
    const dispatch = (i: number): Promise<void> => {
      const step = steps[i];
      if (!step) return Promise.resolve();
      let called = false;
      return step.run(ctx, () => {
        if (called) return Promise.reject(new Error(`turn step ${i} called next twice`));
        called = true;
        return dispatch(i + 1);
      });
    };
    return dispatch(0);
  };
}
