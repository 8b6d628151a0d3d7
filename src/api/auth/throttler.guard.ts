import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { IS_WEBHOOK } from '../../common/webhook.decorator.js';

/** Rate limits per user when the request carries a valid token, per client IP otherwise. */
@Injectable()
export class PaiosThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    const auth = request.paiosAuth;
    return auth && 'user' in auth ? `user:${auth.user.id}` : `ip:${request.ip ?? 'unknown'}`;
  }

  /** Platform webhooks are limited per chat user by the adapters, not per IP here. */
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const webhook = this.reflector.getAllAndOverride<boolean>(IS_WEBHOOK, [context.getHandler(), context.getClass()]);
    return webhook === true || (await super.shouldSkip(context));
  }
}
