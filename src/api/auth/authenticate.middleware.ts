import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../../common/errors.js';
import { TokenService, type AuthUser } from './token.service.js';

export type AuthState = { user: AuthUser } | { error: string };

declare module 'express-serve-static-core' {
  interface Request {
    paiosAuth?: AuthState;
  }
}

/**
 * Resolves the bearer token, if any, before guards run, so that rate limiting can count per user.
 * It never rejects: AuthGuard decides, per route, whether a user is required.
 */
@Injectable()
export class AuthenticateMiddleware implements NestMiddleware {
  constructor(private readonly tokens: TokenService) {}

  async use(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const token = TokenService.fromHeader(req.headers.authorization);
    if (!token) {
      req.paiosAuth = {
        error: req.headers.authorization ? 'Authorization header must be "Bearer <token>"' : 'missing bearer token',
      };
      return next();
    }
    try {
      req.paiosAuth = { user: await this.tokens.verify(token) };
    } catch (err) {
      if (!(err instanceof DomainError)) return next(err);
      req.paiosAuth = { error: err.message };
    }
    next();
  }
}
