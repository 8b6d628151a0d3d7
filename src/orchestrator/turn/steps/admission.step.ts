import { Inject, Injectable, Logger } from '@nestjs/common';
import { PAIOS_CONFIG } from '../../../config/config.module.js';
import type { PaiosConfig } from '../../../config/config.schema.js';
import { formatCode, PairingService } from '../../identity/pairing.service.js';
import { KeyValueStore } from '../../kv/key-value-store.port.js';
import { accountOf, ChatIdentity, type ChatSender } from '../chat-identity.js';
import { answer, type Next, type TurnContext, type TurnStep, type TurnUser } from '../turn.context.js';

const RATE_WINDOW_MS = 60_000;

/**
 * Who may be heard: the platform account is resolved to a paios user (an unknown account gets a
 * pairing code, the same one until it expires, and nothing it sends runs), then the message counts
 * against that person's messages per minute on every platform (CHAT_RATE_LIMIT_PER_MINUTE, a fixed
 * window in the KeyValueStore, so all app processes share it): past the limit nothing runs, and only
 * the first refusal is answered.
 */
@Injectable()
export class AdmissionStep implements TurnStep {
  private readonly logger = new Logger('ChatGateway');

  constructor(
    private readonly identity: ChatIdentity,
    private readonly pairing: PairingService,
    private readonly kv: KeyValueStore,
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
    const limit = this.config.chat.rateLimitPerMinute;
    const { count, ttlMs } = await this.kv.increment(`chat:rate:${user.id}`, RATE_WINDOW_MS);
    if (count <= limit) return true;
    ctx.outcome = 'rate_limited';
    // The first refused message of the window is the one worth answering ("slow down").
    if (count === limit + 1)
      answer(
        ctx,
        {
          ephemeral: true,
          text: `That's more than ${limit} messages a minute; I'll listen again in ${Math.ceil(ttlMs / 1000)} s.`,
        },
        'rate_limited',
      );
    return false;
  }
}
