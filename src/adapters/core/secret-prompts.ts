import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { KeyValueStore } from '../../orchestrator/kv/key-value-store.port.js';
import type { OpenPrompt, SecretPromptStore } from '../../orchestrator/turn/turn.ports.js';
import type { ChatAddress } from '../chat.contract.js';

/** A request for a secret stays open this long. */
const OPEN_MS = 120_000;

/**
 * Open requests for a secret (a master password). Each has a random token, which a Slack or Discord
 * modal carries, and is also findable by (chat, person) so the next typed message can answer it where
 * modals do not exist (Telegram, the console). Taking a prompt removes it: a secret is used once.
 * Nothing secret is stored here, only where the answer goes. Kept in the KeyValueStore (Redis in server
 * mode, memory otherwise).
 */
@Injectable()
export class SecretPrompts implements SecretPromptStore {
  constructor(private readonly kv: KeyValueStore) {}

  async open(p: Omit<OpenPrompt, 'token'>): Promise<OpenPrompt> {
    const prompt: OpenPrompt = { ...p, token: randomBytes(12).toString('base64url') };
    const json = JSON.stringify(prompt);
    await this.kv.set(this.byToken(prompt.token), json, OPEN_MS);
    await this.kv.set(this.byChat(p.address, p.userId), json, OPEN_MS);
    return prompt;
  }

  /** The open prompt of this person in this chat, removed (the message that answers it is the secret). */
  async takeForChat(address: ChatAddress, userId: string): Promise<OpenPrompt | undefined> {
    const prompt = await this.take(this.byChat(address, userId));
    if (prompt) await this.kv.delete(this.byToken(prompt.token));
    return prompt;
  }

  /** Whether this person has a prompt open in this chat (without taking it). */
  async isOpen(address: ChatAddress, userId: string): Promise<boolean> {
    return (await this.kv.get(this.byChat(address, userId))) !== undefined;
  }

  /** The prompt a modal submission answers, removed; undefined when unknown, used or expired. */
  async takeByToken(token: string): Promise<OpenPrompt | undefined> {
    const prompt = await this.take(this.byToken(token));
    if (prompt) await this.kv.delete(this.byChat(prompt.address, prompt.userId));
    return prompt;
  }

  /** The prompt behind a token without taking it (to open a modal for it). */
  async peek(token: string): Promise<OpenPrompt | undefined> {
    const json = await this.kv.get(this.byToken(token));
    return json ? (JSON.parse(json) as OpenPrompt) : undefined;
  }

  private byToken(token: string): string {
    return `chat:secret:t:${token}`;
  }

  private byChat(a: ChatAddress, userId: string): string {
    return `chat:secret:c:${a.platform}:${a.workspace}:${a.channel}:${userId}`;
  }

  private async take(key: string): Promise<OpenPrompt | undefined> {
    const json = await this.kv.take(key);
    return json ? (JSON.parse(json) as OpenPrompt) : undefined;
  }
}
