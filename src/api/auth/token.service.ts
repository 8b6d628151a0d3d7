import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { DomainError, ErrorCode } from '../../common/errors.js';
import { UUID } from '../common/uuid-param.pipe.js';
import { UserRepository } from '../../orchestrator/identity/user.repository.js';

export interface AuthUser {
  id: string;
  email: string;
}

interface TokenClaims {
  sub: string;
  email: string;
}

/** Mints and checks the JWTs that guard `/api` and Socket.io (HS256, signed with ACCESS_TOKEN_SECRET). */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    private readonly users: UserRepository,
  ) {
    this.jwt = new JwtService({ secret: config.auth.secret, signOptions: { algorithm: 'HS256', issuer: 'paios' } });
  }

  /** A token for `email`'s user, creating the user on first use. */
  async mint(
    email: string,
    ttl = this.config.auth.tokenTtl,
  ): Promise<{ token: string; user: AuthUser; expiresAt: Date }> {
    const user = await this.users.upsertByEmail(email);
    const token = await this.jwt.signAsync({ sub: user.id, email: user.email } satisfies TokenClaims, {
      expiresIn: ttl as `${number}d`,
    });
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, user: { id: user.id, email: user.email }, expiresAt: new Date(exp * 1000) };
  }

  /** The user a token stands for; a DomainError(Unauthenticated) with the reason otherwise. */
  async verify(token: string): Promise<AuthUser> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'], issuer: 'paios' });
    } catch (err) {
      const name = (err as Error).name;
      const reason = name === 'TokenExpiredError' ? 'token has expired' : 'token is invalid';
      throw new DomainError(ErrorCode.Unauthenticated, reason);
    }
    // A token signed with our secret but naming no user id (a hand-made or old token) is invalid,
    // not a database error.
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub))
      throw new DomainError(ErrorCode.Unauthenticated, 'token is invalid');
    const user = await this.users.findById(claims.sub);
    if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'token belongs to no known user');
    return { id: user.id, email: user.email };
  }

  /** The token in an `Authorization: Bearer ...` header, if any. */
  static fromHeader(header: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match?.[1];
  }
}
