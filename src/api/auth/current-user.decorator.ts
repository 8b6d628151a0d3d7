import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthUser } from './token.service.js';

/** The authenticated user of the request (routes behind AuthGuard only). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const auth = ctx.switchToHttp().getRequest<Request>().paiosAuth;
  if (!auth || !('user' in auth)) throw new Error('CurrentUser used on a route without authentication');
  return auth.user;
});
