/**
 * How the orchestrator tells a person something nobody asked for right now (a workflow that failed
 * for good) without importing the chat side: the adapters module provides USER_NOTIFIER, and the
 * orchestrator only knows this interface. Dependencies keep pointing inward.
 */
import type { ChatPlace } from '../../sdk/agent.contract.js';

export const USER_NOTIFIER = Symbol('USER_NOTIFIER');

export interface UserNotice {
  /** Markdown, as in a chat reply. Never a secret. */
  text: string;
  /**
   * The chat this answers (where the person asked for it), tried first; when that platform is not
   * running or refuses, the notice goes where USER_NOTIFIER would send it anyway.
   */
  chat?: ChatPlace;
}

export interface UserNotifier {
  /**
   * Says `notice` to the user in chat where they will see it. Resolves with where it went (e.g.
   * "telegram"), or null when the user can be reached nowhere; never throws for a platform failure.
   */
  notify(userId: string, notice: UserNotice): Promise<string | null>;
}
