import { Injectable } from '@nestjs/common';
import type { Reply } from '../turn/turn.contract.js';
import type { ChatCommand, ChatCommandInput } from '../turn/turn.ports.js';
import { LlmUsageService } from './llm-usage.service.js';

/**
 * "how much AI did I use this month", "my AI budget", "how many tokens have I used": a question about
 * one's own AI use, with the words that say so; answered locally, so it works with a used-up budget.
 */
const USAGE =
  /^(?:(?:how (?:much|many)|what(?:'s| is| was| are)?|show(?: me)?|tell me)\b.{0,40}\b(?:ai|llm|tokens?|models?)\b.{0,30}\b(?:use|used|usage|spend|spent|cost|costs|budget|left)\b|(?:my\s+)?(?:ai|llm|model|token)\s+(?:use|usage|budget|spend(?:ing)?|costs?)\b).{0,40}$/i;

@Injectable()
export class LlmUsageCommand implements ChatCommand {
  constructor(private readonly usage: LlmUsageService) {}

  async handle({ user, text }: ChatCommandInput): Promise<Reply | null> {
    if (!USAGE.test(text.trim())) return null;
    return { text: await this.usage.describe(user.id) };
  }
}
