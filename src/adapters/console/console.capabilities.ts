import type { ChatCapabilities } from '../chat.contract.js';

/**
 * The console (CLI, REST, Socket.io) signs people in itself: the sender is a paios user id. The
 * command line reads a secret without echo; a voice reply is saved as a file.
 */
export const CONSOLE_CAPABILITIES: ChatCapabilities = {
  senders: 'paios-user',
  secretEntry: 'next-message-hidden',
  supportsVoiceReply: true,
};
