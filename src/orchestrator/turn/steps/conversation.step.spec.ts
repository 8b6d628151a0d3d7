import { describe, expect, it } from '@jest/globals';
import type { ConversationService, ConversationTurn, Utterance } from '../../conversation/conversation.service.js';
import { fakeTurn } from '../turn-context.fake.js';
import { ConversationStep } from './conversation.step.js';

describe('ConversationStep', () => {
  it('shows typing, holds the conversation of this chat, and hands its turn on', async () => {
    const asked: Utterance[] = [];
    const turn = { decision: {}, reply: '2 + 3 = 5', sensitive: false } as unknown as ConversationTurn;
    const conversation = { handle: async (u: Utterance) => (asked.push(u), turn) } as unknown as ConversationService;
    const t = fakeTurn({
      address: { platform: 'slack', workspace: 'T1', channel: 'C9', thread: '171.2' },
      agentHint: 15,
      direct: false,
    });
    t.ctx.text = 'bill Initech';
    await new ConversationStep(conversation).run(t.ctx, t.next);
    expect(t.activity).toEqual(['typing']);
    const { progress, ...utterance } = asked[0]!;
    expect([utterance]).toEqual([
      {
        userId: 'user-1',
        text: 'bill Initech',
        channelAgent: 15,
        origin: { channel: 'telegram', inputKind: 'text' },
        caller: {
          kind: 'chat',
          platform: 'slack',
          direct: false,
          // Where the call came from, for answers that come later (a watched page that changed).
          address: { platform: 'slack', workspace: 'T1', channel: 'C9', thread: '171.2' },
        },
        // Threads of a channel share its open question; what was talked about belongs to the thread.
        chat: 'slack:T1:C9',
        conversation: 'slack:T1:C9:171.2',
      },
    ]);
    // Interim progress of a long request goes to the same chat, as its own message.
    await progress?.('List clients… (step 2/5)');
    expect(t.sent).toEqual([{ text: 'List clients… (step 2/5)' }]);
    expect(t.ctx.turn).toBe(turn);
    expect(t.nextCalls()).toBe(1);
  });
});
