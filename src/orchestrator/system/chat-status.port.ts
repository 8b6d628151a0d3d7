/**
 * How the orchestrator and agents see the chat side without importing it: the adapters module
 * provides this (the AdapterHub), agent #31 reads it to draw the system.
 */
export const CHAT_STATUS = Symbol('CHAT_STATUS');

export interface ChatStatusSource {
  statuses(): { platform: string; state: string; modes: string[] }[];
}
