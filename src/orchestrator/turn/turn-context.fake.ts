import type { ChatActivity, ChatCapabilities, TurnMessage, Reply } from './turn.contract.js';
import { newTurnContext, type Next, type TurnContext } from './turn.context.js';

/** A global-account platform with modals and voice replies: what most specs assume. */
export const FAKE_CAPABILITIES: ChatCapabilities = {
  senders: 'global-account',
  secretEntry: 'modal',
  supportsVoiceReply: true,
};

/**
 * A turn context for testing one step alone: a message from a known user (unless `user: null`), an
 * outlet that records what was sent and the activity shown, and a `next` that records being called.
 */
export function fakeTurn(
  over: Partial<TurnMessage> = {},
  options: { capabilities?: Partial<ChatCapabilities>; user?: null } = {},
) {
  const sent: Reply[] = [];
  const activity: ChatActivity[] = [];
  const msg: TurnMessage = {
    platform: 'telegram',
    eventId: 'event-1',
    address: { platform: 'telegram', workspace: 'W1', channel: 'C1' },
    sender: { id: 'account-1', name: 'Ada' },
    direct: true,
    ...over,
  };
  const ctx: TurnContext = newTurnContext(
    msg,
    {
      reply: async (r) => void sent.push(r),
      activity: async (a) => void activity.push(a),
    },
    { ...FAKE_CAPABILITIES, ...options.capabilities },
  );
  if (options.user !== null) ctx.user = { id: 'user-1', email: 'ada@example.test' };
  let nextCalls = 0;
  const next: Next = async () => void nextCalls++;
  return { ctx, sent, activity, next, nextCalls: () => nextCalls };
}
