import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors.js';
import { PAIOS_CONFIG } from '../../../config/config.module.js';
import type { PaiosConfig } from '../../../config/config.schema.js';
import { PairingService } from '../../identity/pairing.service.js';
import { UserRepository } from '../../identity/user.repository.js';
import type { Reply } from '../turn.contract.js';
import type { ChatCommand, ChatCommandInput } from '../turn.ports.js';

const APPROVE = /^approve\s+([A-Za-z0-9]{4}-?[A-Za-z0-9]{4})(?:\s+as\s+(\S+@\S+))?\s*$/i;

/** "approve ABCD-EFGH [as someone@example.com]": the owner pairs a waiting chat account from chat. */
@Injectable()
export class PairingApprovalCommand implements ChatCommand {
  constructor(
    private readonly users: UserRepository,
    private readonly pairing: PairingService,
    @Inject(PAIOS_CONFIG) private readonly config: Pick<PaiosConfig, 'adminEmails'>,
  ) {}

  async handle({ user, text }: ChatCommandInput): Promise<Reply | null> {
    const approve = APPROVE.exec(text);
    if (!approve) return null;
    if (!(await this.users.isAdmin(user, this.config.adminEmails)))
      return { ephemeral: true, text: 'Only the owner of this paios can approve pairing codes.' };
    try {
      const done = await this.pairing.approve(approve[1]!, approve[2]);
      const who = done.request.displayName ?? done.request.platformUserId;
      return { text: `Paired ${done.request.platform} account ${who} with ${done.email}.` };
    } catch (err) {
      if (err instanceof DomainError) return { ephemeral: true, text: `Could not approve: ${err.message}.` };
      throw err;
    }
  }
}
