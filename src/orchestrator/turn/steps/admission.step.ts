import { Inject, Injectable, Logger } from '@nestjs/common';
import { PAIOS_CONFIG } from '../../../config/config.module.js';
import type { PaiosConfig } from '../../../config/config.schema.js';
import { formatCode, PairingService } from '../../identity/pairing.service.js';
import { accountOf, ChatIdentity, type ChatSender } from '../chat-identity.js';
import { answer, type Next, type TurnContext, type TurnStep, type TurnUser } from '../turn.context.js';
import { TURN_RATE_LIMITER, type TurnRateLimiter } from '../turn.ports.js';

/**
 * Who may be heard: the platform account is resolved to a paios user (an unknown account gets a
 * pairing code, the same one until it expires, and nothing it sends runs), then the message counts
 * against that person's messages per minute (past the limit nothing runs, and only the first
 * refusal is answered).
 */
@Injectable()
export class AdmissionStep implements TurnStep {
  private readonly logger = new Logger('ChatGateway');

  constructor(
    private readonly identity: ChatIdentity,
    private readonly pairing: PairingService,
    @Inject(TURN_RATE_LIMITER) private readonly limiter: TurnRateLimiter,
    @Inject(PAIOS_CONFIG) private readonly config: Pick<PaiosConfig, 'chat'>,
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
    if (!user) return this.pair(ctx, sender);
    ctx.user = { id: user.id, email: user.email };
    if (await this.withinRate(ctx, ctx.user)) await next();
  }

  private async pair(ctx: TurnContext, sender: ChatSender): Promise<void> {
    const { msg } = ctx;
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

  private async withinRate(ctx: TurnContext, user: TurnUser): Promise<boolean> {
    const rate = await this.limiter.hit(user.id);
    if (rate.allowed) return true;
    ctx.outcome = 'rate_limited';
    if (rate.firstRefusal)
      answer(
        ctx,
        {
          ephemeral: true,
          text: `That's more than ${this.config.chat.rateLimitPerMinute} messages a minute; I'll listen again in ${rate.retryAfterSeconds} s.`,
        },
        'rate_limited',
      );
    return false;
  }
}
