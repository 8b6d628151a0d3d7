import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { DomainError, ErrorCode, isUniqueViolation } from '../../common/errors.js';
import { UserEntity, UserIdentityEntity } from '../../database/entities/index.js';

export interface PlatformAccount {
  platform: string;
  platformUserId: string;
  /** Slack team, Discord guild; '' where the platform's user ids are global. */
  workspace?: string;
}

/** Users and the chat accounts paired with them. */
@Injectable()
export class UserRepository {
  private readonly users: Repository<UserEntity>;
  private readonly identities: Repository<UserIdentityEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
    this.identities = dataSource.getRepository(UserIdentityEntity);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  /** Returns the user with this email, creating it if needed (safe under concurrency). */
  async upsertByEmail(email: string): Promise<UserEntity> {
    const normalised = email.trim().toLowerCase();
    await this.users.createQueryBuilder().insert().values({ email: normalised }).orIgnore().execute();
    return this.users.findOneByOrFail({ email: normalised });
  }

  /** Pairs a platform account with a user; pairing the same account again keeps the first owner. */
  async linkIdentity(userId: string, account: PlatformAccount): Promise<UserIdentityEntity> {
    const key = {
      platform: account.platform,
      platformUserId: account.platformUserId,
      workspace: account.workspace ?? '',
    };
    await this.identities
      .createQueryBuilder()
      .insert()
      .values({ userId, ...key })
      .orIgnore()
      .execute();
    return this.identities.findOneByOrFail(key);
  }

  /**
   * The owner may change the running system and approve pairings: the users in PAIOS_ADMIN_EMAILS,
   * or, when that is unset, the one user made owner (`paios init --owner`, or the first token).
   */
  async isAdmin(user: { id: string; email: string }, adminEmails: readonly string[]): Promise<boolean> {
    if (adminEmails.length > 0) return adminEmails.includes(user.email.toLowerCase());
    return (await this.users.findOneBy({ id: user.id, isOwner: true })) !== null;
  }

  /**
   * Who this paios belongs to: the first of PAIOS_ADMIN_EMAILS when set (created if new), else the
   * user made owner; null when there is none yet (nobody ran `paios init` or minted a token).
   */
  async findOwner(adminEmails: readonly string[]): Promise<UserEntity | null> {
    if (adminEmails[0]) return this.upsertByEmail(adminEmails[0]);
    return this.users.findOneBy({ isOwner: true });
  }

  /**
   * Makes the user with `email` (created if new) the owner. Another owner is replaced only when
   * `replace` is set; otherwise that is a conflict, and nothing changes.
   */
  async makeOwner(email: string, replace = false): Promise<{ owner: UserEntity; previous: string | null }> {
    const user = await this.upsertByEmail(email);
    return this.users.manager.transaction(async (tx) => {
      const users = tx.getRepository(UserEntity);
      const current = await users.findOne({ where: { isOwner: true }, lock: { mode: 'pessimistic_write' } });
      if (current?.id === user.id) return { owner: current, previous: null };
      if (current && !replace)
        throw new DomainError(
          ErrorCode.Conflict,
          `the owner is already ${current.email}; run "paios init --owner ${user.email} --force" to hand it over`,
        );
      if (current) await users.update({ id: current.id }, { isOwner: false });
      await users.update({ id: user.id }, { isOwner: true });
      return { owner: { ...user, isOwner: true }, previous: current?.email ?? null };
    });
  }

  /** Makes `userId` the owner if there is none yet; true when it did (the first token's user). */
  async claimOwnerIfNone(userId: string): Promise<boolean> {
    try {
      const result = await this.users
        .createQueryBuilder()
        .update()
        .set({ isOwner: true })
        .where('id = :userId AND NOT EXISTS (SELECT 1 FROM users WHERE is_owner)', { userId })
        .execute();
      return (result.affected ?? 0) > 0;
    } catch (err) {
      if (isUniqueViolation(err)) return false; // someone else became owner at the same moment
      throw err;
    }
  }

  async findByIdentity(account: PlatformAccount): Promise<UserEntity | null> {
    const identity = await this.identities.findOneBy({
      platform: account.platform,
      platformUserId: account.platformUserId,
      workspace: account.workspace ?? '',
    });
    return identity ? this.findById(identity.userId) : null;
  }
}
