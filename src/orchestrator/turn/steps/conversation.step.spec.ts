import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AgentResponse } from '../../../sdk/agent.contract.js';
import type { ConversationService, ConversationTurn, Utterance } from '../../conversation/conversation.service.js';
import { FixedClock } from '../../../common/clock.js';
import type { RouteChoice, RouteDecision } from '../../router/route-decision.js';
import type { VoiceSettings, VoiceSettingsRepository } from '../../voice/voice-settings.repository.js';
import type { VoiceService } from '../../voice/voice.service.js';
import type { ChatCapabilities } from '../turn.contract.js';
import { fakeTurn } from '../turn-context.fake.js';
import type { OpenPrompt, SecretPromptStore } from '../turn.ports.js';
import { ConversationStep } from './conversation.step.js';

Logger.overrideLogger(false);

const decision = (over: Partial<RouteDecision> = {}): RouteDecision => ({
  text: 'x',
  agentNumber: 91,
  agentName: 'calculator',
  tool: 'add',
  parameters: {},
  confidence: 1,
  via: 'address',
  scores: [],
  entities: [],
  missing: [],
  ...over,
});

const answered = (response: AgentResponse, over: Partial<ConversationTurn> = {}): ConversationTurn => ({
  decision: decision(),
  response,
  reply: response.success ? (response.text ?? 'done') : `Sorry: ${response.error}`,
  sensitive: response.sensitive === true,
  ...over,
});

/** What the conversation answers the next message. */
let nextTurn: ConversationTurn;
const asked: Utterance[] = [];
const conversation = { handle: async (u: Utterance) => (asked.push(u), nextTurn) } as unknown as ConversationService;

function setup(
  options: { canSpeak?: boolean; spokenReplies?: boolean; speakFails?: boolean } = {},
  answering: ConversationService = conversation,
) {
  const spoken: string[] = [];
  const opened: Omit<OpenPrompt, 'token'>[] = [];
  const voice = {
    canSpeak: options.canSpeak ?? true,
    speak: async (text: string) => {
      if (options.speakFails) throw new Error('espeak missing');
      spoken.push(text);
      return { filename: 'reply.ogg', mimeType: 'audio/ogg', data: Buffer.from('OggS') };
    },
  } as unknown as VoiceService;
  const settings = {
    get: async (): Promise<VoiceSettings> => ({
      voice: null,
      speed: 1,
      spokenReplies: options.spokenReplies ?? true,
      language: null,
    }),
  } as unknown as VoiceSettingsRepository;
  const prompts = {
    open: async (p: Omit<OpenPrompt, 'token'>) => (opened.push(p), { ...p, token: 'tok-1' }),
  } as unknown as SecretPromptStore;
  const step = new ConversationStep(
    answering,
    prompts,
    voice,
    settings,
    { vault: { revealSeconds: 30 } } as never,
    new FixedClock('2026-12-01T10:00:00Z'),
  );
  return { step, spoken, opened };
}

const voiced = (capabilities: Partial<ChatCapabilities> = {}) => {
  const t = fakeTurn({ audio: { data: Buffer.alloc(1), mimeType: 'audio/ogg', filename: 'v.oga' } }, { capabilities });
  t.ctx.text = '#91 add 2 3';
  return t;
};

describe('ConversationStep', () => {
  it('answers a typed message in words, with the agent files and buttons', async () => {
    const { step, spoken } = setup();
    const t = fakeTurn();
    const buttons = [{ label: 'Send it', value: '#15 send_invoice INV-1' }];
    nextTurn = answered({ success: true, text: 'Invoice INV-1 created.', buttons });
    await step.run(t.ctx, t.next);
    expect(t.ctx.reply).toEqual({
      text: 'Invoice INV-1 created.',
      attachments: undefined,
      buttons,
      unsuccessful: undefined,
    });
    expect(spoken).toEqual([]);
    expect(t.nextCalls()).toBe(1);
  });

  it('quotes what it heard in a voice note and answers in speech too', async () => {
    const { step, spoken } = setup();
    const t = voiced();
    nextTurn = answered({ success: true, text: '2 + 3 = **5**' });
    await step.run(t.ctx, t.next);
    expect(t.ctx.reply!.text).toBe('> 🎙 #91 add 2 3\n\n2 + 3 = **5**');
    expect(spoken).toEqual(['2 + 3 = 5']);
    expect(t.ctx.reply!.voice).toEqual({ filename: 'reply.ogg', mimeType: 'audio/ogg', data: 'T2dnUw==' });
    expect(t.activity).toEqual(['typing', 'recording_voice']);
  });

  it('never reads a sensitive answer aloud, keeps it private and lets it vanish', async () => {
    const { step, spoken } = setup();
    const t = voiced();
    nextTurn = answered({ success: true, text: 'The password is hunter2', sensitive: true });
    await step.run(t.ctx, t.next);
    expect(spoken).toEqual([]);
    expect(t.ctx.reply).toMatchObject({ ephemeral: true, deleteInbound: true, deleteAfterSeconds: 30 });
    expect(t.ctx.reply!.voice).toBeUndefined();
  });

  it('speaks to nobody who turned spoken replies off, nor where the platform cannot deliver speech', async () => {
    for (const [options, caps] of [
      [{ spokenReplies: false }, {}],
      [{}, { supportsVoiceReply: false }],
      [{ canSpeak: false }, {}],
    ] as const) {
      const { step, spoken } = setup(options);
      const t = voiced(caps);
      nextTurn = answered({ success: true, text: '5' });
      await step.run(t.ctx, t.next);
      expect(spoken).toEqual([]);
      expect(t.ctx.reply!.voice).toBeUndefined();
    }
  });

  it('still answers in words when speech fails', async () => {
    const { step } = setup({ speakFails: true });
    const t = voiced();
    nextTurn = answered({ success: true, text: '5' });
    await step.run(t.ctx, t.next);
    expect(t.ctx.reply!.text).toContain('5');
    expect(t.ctx.reply!.voice).toBeUndefined();
  });

  it('offers the choices of a clarifying question as buttons that answer it', async () => {
    const { step } = setup();
    const choice = (tool: string): RouteChoice => ({
      agentNumber: 15,
      agentName: 'invoicing',
      tool,
      description: `do ${tool}`,
      score: 0.4,
    });
    const t = fakeTurn();
    nextTurn = {
      decision: decision({
        agentNumber: null,
        tool: null,
        clarification: { question: 'Which one?', choices: [choice('a'), choice('b')] },
      }),
      reply: 'Which one?',
      sensitive: false,
      pendingChoiceId: 'p1',
    };
    await step.run(t.ctx, t.next);
    expect(t.ctx.reply).toMatchObject({ text: 'Which one?', unsuccessful: true });
    expect(t.ctx.reply!.buttons!.map((b) => b.label)).toEqual(['1. #15 do a', '2. #15 do b']);
    expect(new Set(t.ctx.reply!.buttons!.map((b) => b.value)).size).toBe(2);
    expect(t.ctx.reply!.buttons![0]!.value).toContain('p1');
  });

  it.each([
    ['modal', ''],
    ['next-message-deleted', 'Send it as your next message: I delete it at once. Or say "cancel".'],
    ['next-message-hidden', 'Send it as your next message (the command line does not show it), or "cancel".'],
  ] as const)('asks for a secret the way the platform takes one (%s)', async (secretEntry, hint) => {
    const { step, opened } = setup();
    const t = fakeTurn({}, { capabilities: { secretEntry } });
    nextTurn = answered(
      {
        success: false,
        error: 'the vault is locked',
        sensitive: true,
        secretPrompt: { tool: 'unlock_vault', parameter: 'password', label: 'Master password' },
      },
      { decision: decision({ agentNumber: 32, tool: 'store_credential' }) },
    );
    await step.run(t.ctx, t.next);
    expect(opened).toEqual([
      expect.objectContaining({ userId: 'user-1', agentNumber: 32, tool: 'unlock_vault', parameter: 'password' }),
    ]);
    expect(t.ctx.reply!.secretPrompt).toEqual({ token: 'tok-1', label: 'Master password', repeat: true });
    expect(t.ctx.reply!.text).toBe(`Sorry: the vault is locked${hint ? `\n\n${hint}` : ''}`);
  });

  it('shows typing, holds the conversation of this chat, and hands its answer on', async () => {
    const { step } = setup();
    asked.length = 0;
    nextTurn = answered({ success: true, text: '2 + 3 = 5' });
    const t = fakeTurn({
      address: { platform: 'slack', workspace: 'T1', channel: 'C9', thread: '171.2' },
      agentHint: 15,
      direct: false,
    });
    t.ctx.text = 'bill Initech';
    await step.run(t.ctx, t.next);
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
        onProgress: expect.any(Function),
      },
    ]);
    expect(t.ctx.reply).toEqual({ text: '2 + 3 = 5' });
    expect(t.ctx.outcome).toBe('answered');
    // Interim progress of a long request goes to the same chat, as its own message.
    await progress?.('List clients… (step 2/5)');
    expect(t.sent).toEqual([{ text: 'List clients… (step 2/5)' }]);
    expect(t.nextCalls()).toBe(1);
  });

  it('tells the chat how a long call goes, before handing the answer on', async () => {
    const turn = { decision: {}, reply: 'done', sensitive: false } as unknown as ConversationTurn;
    const t = fakeTurn();
    let sentWhenNext = -1;
    const slow = {
      handle: async (u: Utterance) => {
        u.onProgress?.('searching the web…');
        u.onProgress?.('reading 6 sources…'); // within the gap: dropped
        return turn;
      },
    } as unknown as ConversationService;
    const { step } = setup({}, slow);
    await step.run(t.ctx, async () => {
      sentWhenNext = t.sent.length;
      await t.next();
    });
    expect(t.sent.map((r) => r.text)).toEqual(['_searching the web…_']);
    expect(sentWhenNext).toBe(1);
  });
});
