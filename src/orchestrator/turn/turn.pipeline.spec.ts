import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AdmissionStep } from './steps/admission.step.js';
import type { ChatCommandsStep } from './steps/chat-commands.step.js';
import type { ConversationStep } from './steps/conversation.step.js';
import type { PendingPromptStep } from './steps/pending-prompt.step.js';
import type { VoiceIntakeStep } from './steps/voice-intake.step.js';
import type { TurnMessage, Reply, Responder } from './turn.contract.js';
import { answer, type TurnContext } from './turn.context.js';
import { TurnPipeline } from './turn.pipeline.js';
import { FAKE_CAPABILITIES } from './turn-context.fake.js';

Logger.overrideLogger(false);

type Behaviour = (ctx: TurnContext) => Promise<void>;

/** A pipeline whose steps do nothing but the last, which does `behaviour`; events are taken once. */
function pipeline(behaviour: Behaviour, concurrency = 4) {
  const seen = new Set<string>();
  const deduper = {
    claim: async (platform: string, id: string) => !seen.has(`${platform}:${id}`) && !!seen.add(`${platform}:${id}`),
  };
  const handOn = { run: (_ctx: TurnContext, next: () => Promise<void>) => next() };
  const last = { run: (ctx: TurnContext) => behaviour(ctx) };
  return new TurnPipeline(
    deduper,
    { chat: { concurrency } } as never,
    handOn as unknown as AdmissionStep,
    handOn as unknown as PendingPromptStep,
    handOn as unknown as VoiceIntakeStep,
    handOn as unknown as ChatCommandsStep,
    last as unknown as ConversationStep,
  );
}

const message = (over: Partial<TurnMessage> = {}): TurnMessage => ({
  platform: 'telegram',
  eventId: 'u-1',
  address: { platform: 'telegram', workspace: '', channel: 'C1' },
  sender: { id: 'account-1' },
  direct: true,
  ...over,
});

function outlet(fails = false): Responder & { sent: Reply[]; attempts: () => number } {
  const sent: Reply[] = [];
  let attempts = 0;
  return {
    sent,
    attempts: () => attempts,
    reply: async (r) => {
      attempts++;
      if (fails) throw new Error('platform refused');
      sent.push(r);
    },
  };
}

const run = (p: TurnPipeline, o: Responder, over: Partial<TurnMessage> = {}) =>
  p.run(message(over), o, FAKE_CAPABILITIES);

describe('TurnPipeline', () => {
  it('sends the one reply the steps decided on, after they ran', async () => {
    const o = outlet();
    const p = pipeline(async (ctx) => {
      expect(o.sent).toEqual([]);
      answer(ctx, { text: 'done' });
    });
    expect(await run(p, o)).toBe('answered');
    expect(o.sent).toEqual([{ text: 'done' }]);
  });

  it('drops a repeated delivery without answering it, telling platforms apart', async () => {
    let runs = 0;
    const p = pipeline(async (ctx) => void (runs++, answer(ctx, { text: 'done' })));
    const o = outlet();
    expect(await run(p, o)).toBe('answered');
    expect(await run(p, o)).toBe('duplicate');
    expect(runs).toBe(1);
    expect(o.sent).toHaveLength(1);
    expect(await run(p, o, { platform: 'slack' })).toBe('answered');
    expect(runs).toBe(2);
  });

  it('sends nothing when no step answered (a refused message past the first)', async () => {
    const o = outlet();
    const p = pipeline(async (ctx) => void (ctx.outcome = 'rate_limited'));
    expect(await run(p, o)).toBe('rate_limited');
    expect(o.sent).toEqual([]);
  });

  it('answers a failure with a reference instead of throwing at the adapter', async () => {
    const o = outlet();
    const p = pipeline(async () => {
      throw new Error('database went away');
    });
    expect(await run(p, o)).toBe('failed');
    expect(o.sent).toHaveLength(1);
    expect(o.sent[0]!.text).toMatch(/^Something went wrong on my side \(ref [0-9a-f]{8}\); nothing was lost/);
    expect(o.sent[0]!.text).not.toContain('database');
  });

  it('reports a turn whose reply could not be sent as failed', async () => {
    const o = outlet(true);
    const p = pipeline(async (ctx) => answer(ctx, { text: 'done' }));
    expect(await run(p, o)).toBe('failed');
    expect(o.attempts()).toBe(2);
  });

  it('starts a turn past the limit (CHAT_CONCURRENCY) only when an earlier one has finished', async () => {
    const log: string[] = [];
    let finishFirst!: () => void;
    const p = pipeline(async (ctx) => {
      log.push(`${ctx.msg.eventId} started`);
      if (ctx.msg.eventId === 'first') await new Promise<void>((resolve) => (finishFirst = resolve));
      log.push(`${ctx.msg.eventId} finished`);
    }, 1);
    const first = run(p, outlet(), { eventId: 'first' });
    const second = run(p, outlet(), { eventId: 'second' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['first started']);
    finishFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['first started', 'first finished', 'second started', 'second finished']);
  });
});
