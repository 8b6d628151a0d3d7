import { describe, expect, it } from '@jest/globals';
import { DomainError, ErrorCode } from '../../../common/errors.js';
import type { PairingService } from '../../identity/pairing.service.js';
import type { UserRepository } from '../../identity/user.repository.js';
import { PairingApprovalCommand } from './pairing-approval.command.js';

const OWNER = { id: 'owner', email: 'owner@example.test' };
const GUEST = { id: 'guest', email: 'guest@example.test' };
const at = { platform: 'telegram' as const, workspace: '', channel: '1' };

function setup(approve: (code: string, as?: string) => ReturnType<PairingService['approve']>) {
  const approved: { code: string; as?: string }[] = [];
  const users = { isAdmin: async (u: { email: string }, admins: readonly string[]) => admins.includes(u.email) };
  const pairing = { approve: (code: string, as?: string) => (approved.push({ code, as }), approve(code, as)) };
  const command = new PairingApprovalCommand(users as unknown as UserRepository, pairing as unknown as PairingService, {
    adminEmails: [OWNER.email],
  });
  return { command, approved };
}

const paired = async () => ({
  request: {
    code: 'ABCDEFGH',
    platform: 'telegram',
    workspace: '',
    platformUserId: '42',
    displayName: 'Grace',
    expiresAt: new Date(),
  },
  userId: 'u2',
  email: 'grace@example.test',
});

describe('PairingApprovalCommand', () => {
  it('lets anything but an approval pass', async () => {
    const { command, approved } = setup(paired);
    expect(await command.handle({ user: OWNER, address: at, text: 'approve the invoice' })).toBeNull();
    expect(approved).toEqual([]);
  });

  it('pairs the waiting account when the owner approves its code', async () => {
    const { command, approved } = setup(paired);
    const reply = await command.handle({ user: OWNER, address: at, text: 'approve abcd-efgh as grace@example.test' });
    expect(approved).toEqual([{ code: 'abcd-efgh', as: 'grace@example.test' }]);
    expect(reply).toEqual({ text: 'Paired telegram account Grace with grace@example.test.' });
  });

  it('refuses anyone but the owner, privately, without touching the code', async () => {
    const { command, approved } = setup(paired);
    const reply = await command.handle({ user: GUEST, address: at, text: 'approve ABCD-EFGH' });
    expect(reply).toEqual({ ephemeral: true, text: 'Only the owner of this paios can approve pairing codes.' });
    expect(approved).toEqual([]);
  });

  it('says why a code could not be approved', async () => {
    const { command } = setup(async () => {
      throw new DomainError(ErrorCode.NotFound, 'no open pairing code ABCD-EFGH');
    });
    const reply = await command.handle({ user: OWNER, address: at, text: 'approve ABCDEFGH' });
    expect(reply).toEqual({ ephemeral: true, text: 'Could not approve: no open pairing code ABCD-EFGH.' });
  });
});
