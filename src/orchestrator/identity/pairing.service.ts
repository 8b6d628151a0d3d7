import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../../common/errors.js';
import { returnedRows } from '../../database/query-result.js';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { UserRepository } from './user.repository.js';
import type { Platform } from '../turn/turn.contract.js';

/** No 0/O, 1/I/L: codes are read aloud and typed on phones. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export interface PairingRequest {
  code: string;
  platform: string;
  workspace: string;
  platformUserId: string;
  displayName: string | null;
  expiresAt: Date;
}

export interface PairingAccount {
  platform: Platform;
  workspace: string;
  platformUserId: string;
  displayName?: string;
}

/** Formats a code for people: ABCD-EFGH. */
export const formatCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
/** Accepts "abcd-efgh", "ABCD EFGH", "abcdefgh". */
export const normaliseCode = (input: string) => input.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * Unknown chat accounts get a one-time code; the owner approves it (`paios users approve CODE`, or
 * "approve CODE" in chat) and only then does the account act as a paios user. One open code per
 * account: asking again returns the same code until it expires.
 */
@Injectable()
export class PairingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UserRepository,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  /** The open code for this account, creating one if it has none (or its code expired). */
  async requestCode(account: PairingAccount): Promise<PairingRequest> {
    const key = [account.platform, account.workspace, account.platformUserId];
    await this.db.query(
      `DELETE FROM pairing_codes WHERE platform = $1 AND workspace = $2 AND platform_user_id = $3 AND approved_at IS NULL AND expires_at <= now()`,
      key,
    );
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
      const expires = new Date(Date.now() + this.config.chat.pairingCodeTtlMs);
      const inserted = await this.db.query<unknown[]>(
        `INSERT INTO pairing_codes (code, platform, workspace, platform_user_id, display_name, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING code`,
        [code, ...key, account.displayName?.slice(0, 255) ?? null, expires],
      );
      if (inserted.length > 0) break;
      // Either the account already has an open code (returned below) or the random code was taken.
      const open = await this.openFor(account);
      if (open) return open;
    }
    const open = await this.openFor(account);
    if (!open) throw new Error('could not allocate a pairing code');
    return open;
  }

  private async openFor(account: PairingAccount): Promise<PairingRequest | null> {
    const [row] = await this.db.query<Row[]>(
      `SELECT * FROM pairing_codes WHERE platform = $1 AND workspace = $2 AND platform_user_id = $3 AND approved_at IS NULL AND expires_at > now()`,
      [account.platform, account.workspace, account.platformUserId],
    );
    return row ? toRequest(row) : null;
  }

  async pending(): Promise<PairingRequest[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT * FROM pairing_codes WHERE approved_at IS NULL AND expires_at > now() ORDER BY created_at`,
    );
    return rows.map(toRequest);
  }

  /**
   * Pairs the account behind `code` with the user `asEmail` (created if new), or with the owner.
   * A code works once, and not after it expires.
   */
  async approve(input: string, asEmail?: string): Promise<{ request: PairingRequest; userId: string; email: string }> {
    const code = normaliseCode(input);
    const user = await this.users.upsertByEmail(asEmail ?? (await this.ownerEmail()));
    const claimed = returnedRows<Row>(
      await this.db.query(
        `UPDATE pairing_codes SET approved_at = now(), user_id = $2
         WHERE code = $1 AND approved_at IS NULL AND expires_at > now() RETURNING *`,
        [code, user.id],
      ),
    );
    const row = claimed[0];
    if (!row) {
      const [known] = await this.db.query<Row[]>(`SELECT * FROM pairing_codes WHERE code = $1`, [code]);
      throw new DomainError(
        known?.approved_at ? ErrorCode.Conflict : ErrorCode.NotFound,
        known?.approved_at
          ? `pairing code ${formatCode(code)} was already used`
          : `no open pairing code ${formatCode(code)} (codes expire after ${Math.round(this.config.chat.pairingCodeTtlMs / 60_000)} minutes)`,
      );
    }
    await this.users.linkIdentity(user.id, {
      platform: row.platform,
      platformUserId: row.platform_user_id,
      workspace: row.workspace,
    });
    return { request: toRequest(row), userId: user.id, email: user.email };
  }

  /** Who a personal paios belongs to: the first admin email, else the owner made by `paios init`. */
  async ownerEmail(): Promise<string> {
    const owner = await this.users.findOwner(this.config.adminEmails);
    if (!owner)
      throw new DomainError(
        ErrorCode.Conflict,
        'this paios has no owner yet: run "paios init --owner you@example.com" first, or approve with --as <email>',
      );
    return owner.email;
  }
}

interface Row {
  code: string;
  platform: string;
  workspace: string;
  platform_user_id: string;
  display_name: string | null;
  expires_at: Date;
  approved_at: Date | null;
}

const toRequest = (r: Row): PairingRequest => ({
  code: r.code,
  platform: r.platform,
  workspace: r.workspace,
  platformUserId: r.platform_user_id,
  displayName: r.display_name,
  expiresAt: r.expires_at,
});
