import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '../../common/errors.js';
import { IS_PUBLIC } from '../../common/public.decorator.js';

/** The seed's `authenticateToken`: every route needs a valid bearer token unless marked @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const auth = context.switchToHttp().getRequest<Request>().paiosAuth;
    if (auth && 'user' in auth) return true;
    throw new DomainError(ErrorCode.Unauthenticated, auth?.error ?? 'missing bearer token');
  }
}
