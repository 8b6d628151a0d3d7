import type { ConversationTurn } from '../../orchestrator/conversation/conversation.service.js';

/** A conversation turn as JSON: the decision's fields at the top level, then what happened. */
export function turnBody(turn: ConversationTurn, dryRun?: boolean) {
  return dryRun
    ? { ...turn.decision, dryRun: true }
    : {
        ...turn.decision,
        executed: turn.response !== undefined,
        response: turn.response,
        reply: turn.reply,
        sensitive: turn.sensitive,
      };
}
