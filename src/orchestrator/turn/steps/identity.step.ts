import { Injectable, Logger } from '@nestjs/common';
import { formatCode, PairingService } from '../../identity/pairing.service.js';
import { accountOf, ChatIdentity, type ChatSender } from '../chat-identity.js';
import { answer, type Next, type TurnContext, type TurnStep } from '../turn.context.js';

/**
 * Resolves the platform account to a paios user. An unknown account gets a pairing code (the same
 * one until it expires) and nothing it sends runs.
 */
@Injectable()
export class IdentityStep implements TurnStep {
  private readonly logger = new Logger('ChatGateway');

  constructor(
    private readonly identity: ChatIdentity,
    private readonly pairing: PairingService,
  ) {}

  async run(ctx: TurnContext, next: Next): Promise<void> {
    const { msg } = ctx;
    const sender: ChatSender = {
      platform: msg.platform,
      senderId: msg.sender.id,
      address: msg.address,
      capabilities: ctx.capabilities,
    };
    const user = await this.identity.identify(sender);
    if (user) {
      ctx.user = { id: user.id, email: user.email };
      return next();
    }
    const request = await this.pairing.requestCode({ ...accountOf(sender), displayName: msg.sender.name });
    const code = formatCode(request.code);
    this.logger.log(
      `pairing requested by ${msg.platform} account ${msg.sender.id}: approve with "paios users approve ${code}"`,
    );
    answer(
      ctx,
      {
        ephemeral: true,
        text:
          `Hi${msg.sender.name ? ` ${msg.sender.name}` : ''}, I don't know you yet. Your pairing code is **${code}**.\n` +
          `The owner of this paios approves it with \`paios users approve ${code}\` (or by writing "approve ${code}" to me). ` +
          `Nothing you send runs until then.`,
      },
      'pairing',
    );
  }
}
