import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';

/** Rate limits per user when the request carries a valid token, per client IP otherwise. */
@Injectable()
export class PaiosThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as Request;
    const auth = request.paiosAuth;
    return auth && 'user' in auth ? `user:${auth.user.id}` : `ip:${request.ip ?? 'unknown'}`;
  }
}
