import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AgentResponse } from '../../sdk/agent.contract.js';
import type { ExecuteRequest, ExecutorService } from '../executor/executor.service.js';
import type { ChatIdentity } from './chat-identity.js';
import { SecretAnswers, type SecretSubmission } from './secret-answers.service.js';
import type { Reply } from './turn.contract.js';
import { FAKE_CAPABILITIES } from './turn-context.fake.js';
import type { OpenPrompt, SecretPromptStore } from './turn.ports.js';

Logger.overrideLogger(false);

const address = { platform: 'slack' as const, workspace: 'T1', channel: 'D1' };
const PROMPT: OpenPrompt = {
  token: 'tok-1',
  userId: 'user-1',
  agentNumber: 32,
  tool: 'unlock_vault',
  parameter: 'password',
  label: 'Master password',
  address,
};

function setup(response: AgentResponse | Error, who: string | null = 'user-1') {
  const calls: ExecuteRequest[] = [];
  let open: OpenPrompt | undefined = PROMPT;
  const identity = { identify: async () => (who ? { id: who, email: `${who}@example.test` } : null) };
  const executor = {
    execute: async (req: ExecuteRequest) => {
      calls.push(req);
      if (response instanceof Error) throw response;
      return response;
    },
  };
  const prompts = {
    peek: async (token: string) => (token === open?.token ? open : undefined),
    takeByToken: async (token: string) => {
      const taken = token === open?.token ? open : undefined;
      open = undefined;
      return taken;
    },
  };
  const answers = new SecretAnswers(
    identity as unknown as ChatIdentity,
    executor as unknown as ExecutorService,
    prompts as unknown as SecretPromptStore,
  );
  const sent: Reply[] = [];
  const outlet = { reply: async (r: Reply) => void sent.push(r) };
  const submission: SecretSubmission = {
    platform: 'slack',
    senderId: 'U1',
    address,
    capabilities: FAKE_CAPABILITIES,
    token: 'tok-1',
    value: 'correct horse',
    direct: true,
  };
  return { answers, calls, sent, outlet, submission, isOpen: () => open !== undefined };
}

describe('SecretAnswers', () => {
  it('passes a secret entered in a modal to the tool that asked, once, and answers privately', async () => {
    const s = setup({ success: true, text: 'Vault unlocked.' });
    expect(await s.answers.submit(s.submission, s.outlet)).toBe('answered');
    expect(s.calls).toEqual([
      expect.objectContaining({
        userId: 'user-1',
        agentNumber: 32,
        tool: 'unlock_vault',
        parameters: { password: 'correct horse' },
      }),
    ]);
    expect(s.sent).toEqual([{ text: 'Vault unlocked.', ephemeral: true, unsuccessful: undefined }]);
    expect(s.isOpen()).toBe(false);
    expect(await s.answers.submit(s.submission, s.outlet)).toBe('failed');
    expect(s.sent.at(-1)!.text).toBe('That request has expired; ask again.');
  });

  it('keeps another account out of a prompt that is not theirs', async () => {
    const s = setup({ success: true }, 'someone-else');
    expect(await s.answers.promptFor(s.submission, 'tok-1')).toBeUndefined();
    expect(await s.answers.submit(s.submission, s.outlet)).toBe('failed');
    expect(s.calls).toEqual([]);
    expect(s.isOpen()).toBe(true);
  });

  it('says a wrong password failed, privately', async () => {
    const s = setup({ success: false, error: 'wrong master password' });
    await s.answers.submit(s.submission, s.outlet);
    expect(s.sent).toEqual([{ text: 'Sorry: wrong master password', ephemeral: true, unsuccessful: true }]);
  });

  it('answers a failure with a reference and never the entered value', async () => {
    const s = setup(new Error('boom: correct horse'));
    expect(await s.answers.submit(s.submission, s.outlet)).toBe('failed');
    expect(s.sent[0]!.text).toMatch(/^Something went wrong on my side \(ref [0-9a-f]{8}\)\.$/);
  });
});
