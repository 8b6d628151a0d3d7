import type { ChatAddress, Reply } from './turn.contract.js';
import type { TurnUser } from './turn.context.js';

/**
 * What the turn needs from the chat core without importing it (dependencies point inward): the chat
 * core module binds each token to its class (`useExisting`).
 */

/** Drops a platform event seen before. */
export const TURN_DEDUPER = Symbol('TURN_DEDUPER');
export interface TurnDeduper {
  /** True the first time this (platform, id) is offered; false for every repeat. */
  claim(platform: string, eventId: string): Promise<boolean>;
}

/** An open request for a secret: which tool the entered value goes to, for whom, asked where. */
export interface OpenPrompt {
  token: string;
  userId: string;
  agentNumber: number;
  tool: string;
  parameter: string;
  label: string;
  address: ChatAddress;
}

/** Open requests for a secret, by token (a modal) or by chat and person (the next message). */
export const SECRET_PROMPTS = Symbol('SECRET_PROMPTS');
export interface SecretPromptStore {
  open(p: Omit<OpenPrompt, 'token'>): Promise<OpenPrompt>;
  isOpen(address: ChatAddress, userId: string): Promise<boolean>;
  takeForChat(address: ChatAddress, userId: string): Promise<OpenPrompt | undefined>;
  peek(token: string): Promise<OpenPrompt | undefined>;
  takeByToken(token: string): Promise<OpenPrompt | undefined>;
}

/** What a chat command is given: who said what, where. */
export interface ChatCommandInput {
  user: TurnUser;
  address: ChatAddress;
  text: string;
}

/**
 * A command answered before the conversation, because it needs the chat address or the owner's
 * rights (pairing approvals, digest schedules): a reply when it is one, else null.
 */
export interface ChatCommand {
  handle(input: ChatCommandInput): Promise<Reply | null>;
}
export const CHAT_COMMANDS = Symbol('CHAT_COMMANDS');
