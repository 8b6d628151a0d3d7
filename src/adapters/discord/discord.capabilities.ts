import type { ChatCapabilities } from '../chat.contract.js';

/** Discord user ids are global; a secret is entered in a modal; voice replies are attached files. */
export const DISCORD_CAPABILITIES: ChatCapabilities = {
  senders: 'global-account',
  secretEntry: 'modal',
  supportsVoiceReply: true,
};
