import { Injectable } from '@nestjs/common';
import type { PairingAccount } from '../identity/pairing.service.js';
import { UserRepository } from '../identity/user.repository.js';
import type { ChatAddress, ChatCapabilities, Platform } from './turn.contract.js';
import type { TurnUser } from './turn.context.js';

/** Who wrote a chat message: the platform account, as the adapter's capabilities say to read it. */
export interface ChatSender {
  platform: Platform;
  senderId: string;
  address: ChatAddress;
  capabilities: ChatCapabilities;
}

/** The platform account behind a sender (what pairing binds to a paios user). */
export function accountOf(s: ChatSender): PairingAccount {
  return {
    platform: s.platform,
    platformUserId: s.senderId,
    // Account ids of some platforms (Slack) belong to a workspace; the others are global.
    workspace: s.capabilities.senders === 'workspace-account' ? s.address.workspace : '',
  };
}

/** Resolves a chat sender to the paios user, for the turn and for secrets entered in a modal. */
@Injectable()
export class ChatIdentity {
  constructor(private readonly users: UserRepository) {}

  /** The paios user behind a platform account, or null when it is not paired. */
  async identify(s: ChatSender): Promise<TurnUser | null> {
    if (s.capabilities.senders === 'paios-user') return this.users.findById(s.senderId);
    return this.users.findByIdentity(accountOf(s));
  }
}
