import { DomainError, ErrorCode } from '../common/errors.js';
import { VaultLockedError, type VaultService } from './vault.service.js';

/** A granted secret is needed but the vault holding it is locked (and the server has no fallback). */
export class GrantedSecretLocked extends Error {
  override name = 'GrantedSecretLocked';
}

/**
 * The secret of `service` an agent uses for a person, from their vault when they granted it that
 * service; undefined when the server's own settings apply instead (no vault, no grant, nothing
 * stored). A granted secret in a locked vault is said plainly (GrantedSecretLocked) rather than
 * silently replaced, unless the server has one of its own (`serverHasOne`).
 */
export async function grantedSecret(
  vault: VaultService | undefined,
  userId: string,
  agentNumber: number,
  service: string,
  serverHasOne: boolean,
): Promise<Record<string, unknown> | undefined> {
  if (!vault || !(await vault.isGranted(userId, agentNumber, service))) return undefined;
  try {
    return await vault.secretFor(userId, agentNumber, service);
  } catch (err) {
    if (err instanceof VaultLockedError) {
      if (serverHasOne) return undefined;
      throw new GrantedSecretLocked(
        `agent #${agentNumber} uses the ${service} credential in your vault, which is locked: unlock it ("unlock my vault" in a direct message), then ask again`,
      );
    }
    // Not granted, or nothing stored: the server's settings apply.
    if (err instanceof DomainError && (err.code === ErrorCode.Forbidden || err.code === ErrorCode.NotFound))
      return undefined;
    throw err;
  }
}
