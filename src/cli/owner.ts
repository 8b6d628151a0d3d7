import { DomainError, ErrorCode } from '../common/errors.js';
import type { PaiosConfig } from '../config/config.schema.js';
import type { UserEntity } from '../database/entities/index.js';
import type { UserRepository } from '../orchestrator/identity/user.repository.js';

export const NO_OWNER =
  'this paios has no owner yet: run "paios init --owner you@example.com" (or "paios token create --user you@example.com") first';

/**
 * Who the command line acts as: the given user or PAIOS_LOCAL_USER when set, else the owner. Nobody
 * is made owner here: a first `paios chat` used to make "me@localhost" the owner by being first.
 */
export async function commandLineUser(
  users: UserRepository,
  config: PaiosConfig,
  explicit?: string,
): Promise<UserEntity> {
  const email = explicit ?? config.localUser;
  if (email) return users.upsertByEmail(email);
  const owner = await users.findOwner(config.adminEmails);
  if (!owner) throw new DomainError(ErrorCode.Conflict, NO_OWNER);
  return owner;
}
