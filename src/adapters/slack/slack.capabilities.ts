import type { ChatCapabilities } from '../chat.contract.js';

/** Slack user ids belong to a workspace; a secret is entered in a modal; voice replies are uploaded files. */
export const SLACK_CAPABILITIES: ChatCapabilities = {
  senders: 'workspace-account',
  secretEntry: 'modal',
  supportsVoiceReply: true,
};
