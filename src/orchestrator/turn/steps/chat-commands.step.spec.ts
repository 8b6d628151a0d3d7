import { describe, expect, it } from '@jest/globals';
import { fakeTurn } from '../turn-context.fake.js';
import type { ChatCommand, ChatCommandInput } from '../turn.ports.js';
import { ChatCommandsStep } from './chat-commands.step.js';

describe('ChatCommandsStep', () => {
  const seen: ChatCommandInput[] = [];
  const command = (word: string, text: string): ChatCommand => ({
    handle: async (input) => (seen.push(input), input.text.startsWith(word) ? { text } : null),
  });
  const step = new ChatCommandsStep([command('approve', 'Paired.'), command('digest', 'Digest scheduled.')]);

  it('answers with the first command that recognises the words, given who said them where', async () => {
    const t = fakeTurn();
    t.ctx.text = 'digest every day at 8';
    await step.run(t.ctx, t.next);
    expect(t.ctx.reply).toEqual({ text: 'Digest scheduled.' });
    expect(t.nextCalls()).toBe(0);
    expect(seen.at(-1)).toEqual({
      user: { id: 'user-1', email: 'ada@example.test' },
      address: t.ctx.msg.address,
      text: 'digest every day at 8',
    });
  });

  it('hands anything else on to the conversation', async () => {
    const t = fakeTurn();
    t.ctx.text = 'bill Initech';
    await step.run(t.ctx, t.next);
    expect(t.ctx.reply).toBeUndefined();
    expect(t.nextCalls()).toBe(1);
  });
});
