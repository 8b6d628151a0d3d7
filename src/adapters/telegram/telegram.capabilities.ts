import type { ChatCapabilities } from '../chat.contract.js';

/**
 * Telegram user ids are global; there are no modals, so a secret is the next message, which the
 * adapter deletes at once (`Reply.deleteInbound`); voice replies are sent as voice notes.
 */
export const TELEGRAM_CAPABILITIES: ChatCapabilities = {
  senders: 'global-account',
  secretEntry: 'next-message-deleted',
  supportsVoiceReply: true,
};
