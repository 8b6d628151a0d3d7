import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
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
   * or, when that is unset, the first user.
   */
  async isAdmin(user: { id: string; email: string }, adminEmails: readonly string[]): Promise<boolean> {
    if (adminEmails.length > 0) return adminEmails.includes(user.email.toLowerCase());
    const first = await this.users.find({ order: { createdAt: 'ASC', id: 'ASC' }, take: 1 });
    return first[0]?.id === user.id;
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
