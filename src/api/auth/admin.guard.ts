import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { DomainError, ErrorCode } from '../../common/errors.js';

/**
 * Changes to the running system (registering a command as an agent, swapping versions, rollback)
 * are for its owner: the users in PAIOS_ADMIN_EMAILS, or, when that is unset, the owner made by
 * `paios init --owner` or the first `paios token create`.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const auth = context.switchToHttp().getRequest<Request>().paiosAuth;
    if (!auth || !('user' in auth)) throw new DomainError(ErrorCode.Unauthenticated, 'missing bearer token');
    const admins = this.config.adminEmails;
    if (admins.length > 0) {
      if (admins.includes(auth.user.email.toLowerCase())) return true;
    } else {
      const [owner] = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM users WHERE is_owner LIMIT 1`);
      if (owner?.id === auth.user.id) return true;
    }
    throw new DomainError(
      ErrorCode.Forbidden,
      'only the owner of this paios (PAIOS_ADMIN_EMAILS, or "paios init --owner") may change the running system',
    );
  }
}
