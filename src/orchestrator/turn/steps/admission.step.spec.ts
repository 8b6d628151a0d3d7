import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { PairingAccount, PairingService } from '../../identity/pairing.service.js';
import type { PlatformAccount, UserRepository } from '../../identity/user.repository.js';
import { ChatIdentity } from '../chat-identity.js';
import { fakeTurn } from '../turn-context.fake.js';
import type { KeyValueStore } from '../../kv/key-value-store.port.js';
import { AdmissionStep } from './admission.step.js';

Logger.overrideLogger(false);

const ADA = { id: 'user-1', email: 'ada@example.test' };

/** `counts`: what the rate window holds after each message (1 when not given); 5 a minute are allowed. */
function setup(known: { byId?: string; account?: Partial<PlatformAccount> }, counts: number[] = []) {
  const lookups: unknown[] = [];
  const hits: string[] = [];
  const kv = {
    increment: async (key: string, windowMs: number) => {
      hits.push(`${key} ${windowMs}`);
      return { count: counts.shift() ?? 1, ttlMs: 41_200 };
    },
  } as unknown as KeyValueStore;
  const requested: PairingAccount[] = [];
  const users = {
    findById: async (id: string) => (lookups.push({ id }), id === known.byId ? ADA : null),
    findByIdentity: async (a: PlatformAccount) => {
      lookups.push(a);
      const k = known.account;
      return k && k.platformUserId === a.platformUserId && (k.workspace ?? '') === (a.workspace ?? '') ? ADA : null;
    },
  } as unknown as UserRepository;
  const pairing = {
    requestCode: async (a: PairingAccount) => (requested.push(a), { code: 'ABCDEFGH' }),
  } as unknown as PairingService;
  const config = { chat: { rateLimitPerMinute: 5 } } as never;
  return { step: new AdmissionStep(new ChatIdentity(users), pairing, kv, config), lookups, requested, hits };
}

describe('AdmissionStep', () => {
  it('hands on with the paios user behind a paired account', async () => {
    const { step } = setup({ account: { platformUserId: 'account-1' } });
    const t = fakeTurn({}, { user: null });
    await step.run(t.ctx, t.next);
    expect(t.nextCalls()).toBe(1);
    expect(t.ctx.user).toEqual(ADA);
  });

  it('gives an unknown account its pairing code privately, and runs nothing', async () => {
    const { step, requested } = setup({});
    const t = fakeTurn({}, { user: null });
    await step.run(t.ctx, t.next);
    expect(t.nextCalls()).toBe(0);
    expect(t.ctx.outcome).toBe('pairing');
    expect(t.ctx.reply).toMatchObject({ ephemeral: true });
    expect(t.ctx.reply!.text).toMatch(/^Hi Ada, I don't know you yet\. Your pairing code is \*\*ABCD-EFGH\*\*/);
    expect(t.ctx.reply!.text).toContain('`paios users approve ABCD-EFGH`');
    expect(requested).toEqual([
      { platform: 'telegram', platformUserId: 'account-1', workspace: '', displayName: 'Ada' },
    ]);
  });

  it('looks accounts up within their workspace where the platform scopes ids so', async () => {
    const { step, lookups } = setup({ account: { platformUserId: 'account-1', workspace: 'W1' } });
    const t = fakeTurn({}, { user: null, capabilities: { senders: 'workspace-account' } });
    await step.run(t.ctx, t.next);
    expect(lookups).toEqual([{ platform: 'telegram', platformUserId: 'account-1', workspace: 'W1' }]);
    expect(t.ctx.user).toEqual(ADA);
  });

  it('takes the sender as the paios user where the platform signed them in', async () => {
    const { step, lookups } = setup({ byId: 'user-1' });
    const t = fakeTurn({ sender: { id: 'user-1' } }, { user: null, capabilities: { senders: 'paios-user' } });
    await step.run(t.ctx, t.next);
    expect(lookups).toEqual([{ id: 'user-1' }]);
    expect(t.nextCalls()).toBe(1);
  });

  it('counts the message against its sender and hands on within the limit', async () => {
    const { step, hits } = setup({ account: { platformUserId: 'account-1' } });
    const t = fakeTurn({}, { user: null });
    await step.run(t.ctx, t.next);
    expect(hits).toEqual(['chat:rate:user-1 60000']);
    expect(t.nextCalls()).toBe(1);
  });

  it('says once, privately, when it listens again; later refusals go unanswered', async () => {
    const { step } = setup({ account: { platformUserId: 'account-1' } }, [6, 7]);
    const first = fakeTurn({}, { user: null });
    await step.run(first.ctx, first.next);
    expect(first.nextCalls()).toBe(0);
    expect(first.ctx.outcome).toBe('rate_limited');
    expect(first.ctx.reply).toEqual({
      ephemeral: true,
      text: "That's more than 5 messages a minute; I'll listen again in 42 s.",
    });

    const second = fakeTurn({}, { user: null });
    await step.run(second.ctx, second.next);
    expect(second.nextCalls()).toBe(0);
    expect(second.ctx.outcome).toBe('rate_limited');
    expect(second.ctx.reply).toBeUndefined();
  });

  it('counts nothing for an account that is not paired yet', async () => {
    const { step, hits } = setup({});
    const t = fakeTurn({}, { user: null });
    await step.run(t.ctx, t.next);
    expect(t.ctx.outcome).toBe('pairing');
    expect(hits).toEqual([]);
  });
});
