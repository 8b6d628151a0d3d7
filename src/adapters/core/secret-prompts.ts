import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { REDIS_CLIENT } from '../../database/redis.module.js';
import type { ChatAddress } from '../chat.contract.js';

/** A request for a secret stays open this long. */
const OPEN_SECONDS = 120;

/** Which tool the entered secret goes to, for whom, and in which chat it was asked. */
export interface OpenPrompt {
  token: string;
  userId: string;
  agentNumber: number;
  tool: string;
  parameter: string;
  label: string;
  address: ChatAddress;
}

/**
 * Open requests for a secret (a master password). Each has a random token, which a Slack or Discord
 * modal carries, and is also findable by (chat, person) so the next typed message can answer it where
 * modals do not exist (Telegram, the console). Taking a prompt removes it: a secret is used once.
 * Nothing secret is stored here, only where the answer goes. Redis in server mode, memory otherwise.
 */
@Injectable()
export class SecretPrompts {
  private readonly memory = new Map<string, { value: string; until: number }>();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  async open(p: Omit<OpenPrompt, 'token'>): Promise<OpenPrompt> {
    const prompt: OpenPrompt = { ...p, token: randomBytes(12).toString('base64url') };
    const json = JSON.stringify(prompt);
    await this.set(this.byToken(prompt.token), json);
    await this.set(this.byChat(p.address, p.userId), json);
    return prompt;
  }

  /** The open prompt of this person in this chat, removed (the message that answers it is the secret). */
  async takeForChat(address: ChatAddress, userId: string): Promise<OpenPrompt | undefined> {
    const prompt = await this.take(this.byChat(address, userId));
    if (prompt) await this.del(this.byToken(prompt.token));
    return prompt;
  }

  /** Whether this person has a prompt open in this chat (without taking it). */
  async isOpen(address: ChatAddress, userId: string): Promise<boolean> {
    return (await this.get(this.byChat(address, userId))) !== undefined;
  }

  /** The prompt a modal submission answers, removed; undefined when unknown, used or expired. */
  async takeByToken(token: string): Promise<OpenPrompt | undefined> {
    const prompt = await this.take(this.byToken(token));
    if (prompt) await this.del(this.byChat(prompt.address, prompt.userId));
    return prompt;
  }

  /** The prompt behind a token without taking it (to open a modal for it). */
  async peek(token: string): Promise<OpenPrompt | undefined> {
    const json = await this.get(this.byToken(token));
    return json ? (JSON.parse(json) as OpenPrompt) : undefined;
  }

  private byToken(token: string): string {
    return `${this.config.redis.prefix}:chat:secret:t:${token}`;
  }

  private byChat(a: ChatAddress, userId: string): string {
    return `${this.config.redis.prefix}:chat:secret:c:${a.platform}:${a.workspace}:${a.channel}:${userId}`;
  }

  private async take(key: string): Promise<OpenPrompt | undefined> {
    let json: string | undefined;
    if (this.redis) json = (await this.redis.getdel(key)) ?? undefined;
    else {
      json = await this.get(key);
      this.memory.delete(key);
    }
    return json ? (JSON.parse(json) as OpenPrompt) : undefined;
  }

  private async get(key: string): Promise<string | undefined> {
    if (this.redis) return (await this.redis.get(key)) ?? undefined;
    const hit = this.memory.get(key);
    if (hit && hit.until <= Date.now()) this.memory.delete(key);
    return hit && hit.until > Date.now() ? hit.value : undefined;
  }

  private async set(key: string, value: string): Promise<void> {
    if (this.redis) await this.redis.set(key, value, 'EX', OPEN_SECONDS);
    else {
      for (const [k, v] of this.memory) if (v.until <= Date.now()) this.memory.delete(k);
      this.memory.set(key, { value, until: Date.now() + OPEN_SECONDS * 1000 });
    }
  }

  private async del(key: string): Promise<void> {
    if (this.redis) await this.redis.del(key);
    else this.memory.delete(key);
  }
}
