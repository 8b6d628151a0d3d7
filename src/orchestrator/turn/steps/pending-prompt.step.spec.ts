import { describe, expect, it } from '@jest/globals';
import type { SecretAnswers } from '../secret-answers.service.js';
import { fakeTurn } from '../turn-context.fake.js';
import type { OpenPrompt, SecretPromptStore } from '../turn.ports.js';
import { PendingPromptStep } from './pending-prompt.step.js';

const PROMPT: OpenPrompt = {
  token: 't1',
  userId: 'user-1',
  agentNumber: 32,
  tool: 'unlock_vault',
  parameter: 'password',
  label: 'Master password',
  address: { platform: 'telegram', workspace: 'W1', channel: 'C1' },
};

function setup(open: boolean) {
  let waiting = open;
  const answered: { value: string; extra: unknown }[] = [];
  const prompts = {
    isOpen: async () => waiting,
    takeForChat: async () => (waiting ? ((waiting = false), PROMPT) : undefined),
  } as unknown as SecretPromptStore;
  const secrets = {
    answer: async (_u: string, _p: OpenPrompt, value: string, _d: boolean, extra: object) => (
      answered.push({ value, extra }),
      { ...extra, text: 'Vault unlocked.', ephemeral: true }
    ),
  } as unknown as SecretAnswers;
  return { step: new PendingPromptStep(prompts, secrets), answered, isWaiting: () => waiting };
}

describe('PendingPromptStep', () => {
  it('hands an ordinary message on when no secret was asked for', async () => {
    const { step } = setup(false);
    const t = fakeTurn({ text: 'hello' });
    await step.run(t.ctx, t.next);
    expect(t.nextCalls()).toBe(1);
  });

  it('passes the next message to the tool that asked, privately, deleting the message that held it', async () => {
    const { step, answered } = setup(true);
    const t = fakeTurn({ text: 'correct horse' });
    await step.run(t.ctx, t.next);
    expect(t.nextCalls()).toBe(0);
    expect(answered).toEqual([{ value: 'correct horse', extra: { deleteInbound: true } }]);
    expect(t.ctx.reply).toEqual({ deleteInbound: true, text: 'Vault unlocked.', ephemeral: true });
  });

  it('cancels on "cancel" without calling the tool', async () => {
    const { step, answered, isWaiting } = setup(true);
    const t = fakeTurn({ text: ' Cancel ' });
    await step.run(t.ctx, t.next);
    expect(answered).toEqual([]);
    expect(isWaiting()).toBe(false);
    expect(t.ctx.reply).toEqual({ ephemeral: true, text: 'Cancelled.' });
  });

  it('refuses a voice note as the secret and keeps the request open', async () => {
    const { step, answered, isWaiting } = setup(true);
    const t = fakeTurn({ audio: { data: Buffer.alloc(1), mimeType: 'audio/ogg', filename: 'v.oga' } });
    await step.run(t.ctx, t.next);
    expect(answered).toEqual([]);
    expect(isWaiting()).toBe(true);
    expect(t.ctx.reply!.text).toMatch(/Type it instead/);
  });
});
