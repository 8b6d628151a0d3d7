import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors.js';
import { PAIOS_CONFIG } from '../config/config.module.js';
import type { PaiosConfig } from '../config/config.schema.js';
import { returnedRows } from '../database/query-result.js';
import { REDIS_CLIENT } from '../ops/redis.module.js';
import { SharedVaultSessions } from './vault-shared-sessions.js';
import {
  assertFloor,
  checkVerifier,
  decryptSecret,
  deriveKek,
  encryptSecret,
  fromPhc,
  makeVerifier,
  newSalt,
  rewrap,
  toPhc,
  type Envelope,
  type Sealed,
} from './vault.crypto.js';

/** Failed unlocks allowed in the window before the vault refuses to even try. */
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60_000;

export type VaultActor = 'user' | 'api' | `agent#${number}`;

export interface CredentialSummary {
  id: string;
  serviceName: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface VaultStatus {
  created: boolean;
  unlocked: boolean;
  serverKey: boolean;
  credentials: number;
  autoLockSeconds: number;
}

export interface AuditEntry {
  action: string;
  serviceName: string | null;
  actor: string;
  outcome: string;
  at: Date;
}

interface Session {
  kek: Buffer;
  keyId: string;
  timer: NodeJS.Timeout;
}

interface KeyRow {
  id: string;
  kdf: string;
  verifier: Sealed;
}

interface CredentialRow {
  id: string;
  service_name: string;
  encrypted_data: string;
  encryption_key_id: string;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export class VaultLockedError extends DomainError {
  constructor() {
    super(ErrorCode.Forbidden, 'the vault is locked: unlock it with your master password first');
  }
}

/**
 * Each person's vault: the master password unlocks a session (the KEK in memory, zeroed on lock or
 * after VAULT_AUTO_LOCK idle); secrets are stored and revealed through it; agents read a service's
 * secret only when granted; every unlock, failed unlock, read, reveal and write is audited.
 * PAIOS_VAULT_KEY (or its file) unlocks vaults made with it on an unattended server. In server mode
 * the open sessions are shared by every process through Redis (see SharedVaultSessions).
 */
@Injectable()
export class VaultService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Vault');
  private readonly sessions = new Map<string, Session>();
  private readonly serverKey?: string;
  private readonly shared?: SharedVaultSessions;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    @Optional() @Inject(REDIS_CLIENT) redis: Redis | null = null,
  ) {
    assertFloor(config.vault.kdf);
    if (redis && config.auth.secret)
      this.shared = new SharedVaultSessions(
        redis,
        config.redis.prefix,
        config.auth.secret,
        config.vault.autoLockMs,
        randomUUID(),
      );
    this.serverKey =
      config.vault.serverKey ??
      (config.vault.serverKeyFile
        ? readFileSync(config.vault.serverKeyFile, 'utf8').split('\n')[0]!.trim()
        : undefined);
  }

  async onModuleInit(): Promise<void> {
    await this.shared?.listen((userId) => {
      if (this.forget(userId)) this.logger.log(`vault of user ${userId} locked by another process`);
    });
  }

  /** Zeroes this process's keys; shared sessions stay open for the other processes (and idle out). */
  async onModuleDestroy(): Promise<void> {
    for (const userId of [...this.sessions.keys()]) this.forget(userId);
    await this.shared?.close();
  }

  /** Whether the vault is open in this process (server mode: or in another one). */
  async isUnlocked(userId: string): Promise<boolean> {
    return this.sessions.has(userId) || (this.shared ? (await this.shared.get(userId)) !== null : false);
  }

  /**
   * Opens the vault with the master password (the first unlock sets it). A wrong password opens
   * nothing, is audited, and after five failures in 15 minutes the vault refuses to try.
   */
  async unlock(userId: string, password: string, actor: VaultActor = 'user'): Promise<{ created: boolean }> {
    const failures = await this.recentFailures(userId);
    if (failures >= MAX_FAILURES) {
      await this.audit(userId, 'unlock', actor, 'refused');
      throw new DomainError(
        ErrorCode.Forbidden,
        `too many wrong master passwords; the vault accepts no attempt for up to 15 minutes`,
      );
    }
    const key = await this.activeKey(userId);
    if (!key) {
      if (password.length < 12)
        throw new DomainError(ErrorCode.Invalid, 'a master password needs at least 12 characters');
      const created = await this.createKey(this.db.manager, userId, password);
      await this.open(userId, created.kek, created.id);
      await this.audit(userId, 'setup', actor, 'ok');
      return { created: true };
    }
    const { params, salt } = fromPhc(key.kdf);
    const kek = await deriveKek(password, params, salt);
    if (!checkVerifier(kek, key.id, key.verifier)) {
      kek.fill(0);
      await this.audit(userId, 'unlock', actor, 'failed');
      throw new DomainError(ErrorCode.Unauthenticated, 'wrong master password');
    }
    await this.open(userId, kek, key.id);
    await this.audit(userId, 'unlock', actor, 'ok');
    return { created: false };
  }

  /** Locks the vault everywhere: this process's key is zeroed, other processes are told to do so. */
  async lock(userId: string): Promise<boolean> {
    const here = this.forget(userId);
    const elsewhere = this.shared ? await this.shared.drop(userId) : false;
    return here || elsewhere;
  }

  /** Zeroes and drops this process's copy of the key. */
  private forget(userId: string): boolean {
    const s = this.sessions.get(userId);
    if (!s) return false;
    clearTimeout(s.timer);
    s.kek.fill(0);
    this.sessions.delete(userId);
    return true;
  }

  async store(
    userId: string,
    serviceName: string,
    data: Record<string, unknown>,
    metadata: Record<string, unknown> = {},
    actor: VaultActor = 'user',
  ): Promise<CredentialSummary> {
    const s = await this.session(userId);
    const id = randomUUID();
    const envelope = encryptSecret(s.kek, id, serviceName, data);
    try {
      const [row] = await this.db.query<CredentialRow[]>(
        `INSERT INTO credentials (id, user_id, service_name, encrypted_data, encryption_key_id, metadata)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [id, userId, serviceName, JSON.stringify(envelope), s.keyId, JSON.stringify(metadata)],
      );
      await this.audit(userId, 'store', actor, 'ok', serviceName, id);
      return summary(row!);
    } catch (err) {
      if (String((err as { code?: string }).code) === '23505')
        throw new DomainError(
          ErrorCode.Conflict,
          `there is already a credential for ${serviceName}; update it instead`,
        );
      throw err;
    }
  }

  async update(
    userId: string,
    id: string,
    changes: { data?: Record<string, unknown>; metadata?: Record<string, unknown> },
    actor: VaultActor = 'user',
  ): Promise<CredentialSummary> {
    const row = await this.row(userId, id);
    const s = await this.session(userId);
    const encrypted = changes.data ? JSON.stringify(encryptSecret(s.kek, id, row.service_name, changes.data)) : null;
    const [updated] = returnedRows<CredentialRow>(
      await this.db.query(
        `UPDATE credentials SET encrypted_data = COALESCE($3, encrypted_data),
           encryption_key_id = CASE WHEN $3::text IS NULL THEN encryption_key_id ELSE $4 END,
           metadata = COALESCE($5::jsonb, metadata), updated_at = now()
         WHERE id = $1 AND user_id = $2 RETURNING *`,
        [id, userId, encrypted, s.keyId, changes.metadata ? JSON.stringify(changes.metadata) : null],
      ),
    );
    await this.audit(userId, 'update', actor, 'ok', row.service_name, id);
    return summary(updated!);
  }

  async remove(userId: string, id: string, actor: VaultActor = 'user'): Promise<void> {
    const row = await this.row(userId, id);
    await this.db.query(`DELETE FROM credentials WHERE id = $1 AND user_id = $2`, [id, userId]);
    await this.audit(userId, 'delete', actor, 'ok', row.service_name, id);
  }

  /** Names and metadata only; works while locked. */
  async list(userId: string, actor: VaultActor = 'user'): Promise<CredentialSummary[]> {
    const rows = await this.db.query<CredentialRow[]>(
      `SELECT * FROM credentials WHERE user_id = $1 ORDER BY service_name`,
      [userId],
    );
    await this.audit(userId, 'list', actor, 'ok');
    return rows.map(summary);
  }

  /** The secret itself, for its owner. */
  async reveal(userId: string, id: string, actor: VaultActor = 'user'): Promise<Record<string, unknown>> {
    const row = await this.row(userId, id);
    const s = await this.session(userId);
    const secret = decryptSecret(s.kek, row.id, row.service_name, JSON.parse(row.encrypted_data) as Envelope);
    await this.audit(userId, 'reveal', actor, 'ok', row.service_name, id);
    return secret as Record<string, unknown>;
  }

  async findByService(userId: string, serviceName: string): Promise<CredentialSummary | null> {
    const [row] = await this.db.query<CredentialRow[]>(
      `SELECT * FROM credentials WHERE user_id = $1 AND service_name = $2`,
      [userId, serviceName],
    );
    return row ? summary(row) : null;
  }

  async grant(userId: string, agentNumber: number, serviceName: string): Promise<void> {
    await this.db.query(
      `INSERT INTO vault_grants (user_id, agent_number, service_name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [userId, agentNumber, serviceName],
    );
    await this.audit(userId, 'grant', 'user', 'ok', serviceName);
  }

  async revoke(userId: string, agentNumber: number, serviceName: string): Promise<boolean> {
    const rows = returnedRows<unknown>(
      await this.db.query(
        `DELETE FROM vault_grants WHERE user_id = $1 AND agent_number = $2 AND service_name = $3 RETURNING 1`,
        [userId, agentNumber, serviceName],
      ),
    );
    await this.audit(userId, 'revoke', 'user', 'ok', serviceName);
    return rows.length > 0;
  }

  /** Whether `agentNumber` may read `serviceName` (no audit entry: nothing is read). */
  async isGranted(userId: string, agentNumber: number, serviceName: string): Promise<boolean> {
    const [row] = await this.db.query<unknown[]>(
      `SELECT 1 FROM vault_grants WHERE user_id = $1 AND agent_number = $2 AND service_name = $3`,
      [userId, agentNumber, serviceName],
    );
    return row !== undefined;
  }

  async grants(userId: string): Promise<{ agentNumber: number; serviceName: string; createdAt: Date }[]> {
    const rows = await this.db.query<{ agent_number: number; service_name: string; created_at: Date }[]>(
      `SELECT agent_number, service_name, created_at FROM vault_grants WHERE user_id = $1
       ORDER BY agent_number, service_name`,
      [userId],
    );
    return rows.map((r) => ({ agentNumber: r.agent_number, serviceName: r.service_name, createdAt: r.created_at }));
  }

  /** Whether the person has a vault, whether it is open here, and how it opens. */
  async status(userId: string): Promise<VaultStatus> {
    const [row] = await this.db.query<{ keys: number; credentials: number }[]>(
      `SELECT (SELECT count(*)::int FROM vault_keys WHERE user_id = $1 AND retired_at IS NULL) AS keys,
              (SELECT count(*)::int FROM credentials WHERE user_id = $1) AS credentials`,
      [userId],
    );
    return {
      created: (row?.keys ?? 0) > 0,
      unlocked: await this.isUnlocked(userId),
      serverKey: Boolean(this.serverKey),
      credentials: row?.credentials ?? 0,
      autoLockSeconds: Math.round(this.config.vault.autoLockMs / 1000),
    };
  }

  /** The newest audit entries of one person's vault (who did what to which service, never a secret). */
  async auditLog(userId: string, limit = 50): Promise<AuditEntry[]> {
    const rows = await this.db.query<
      { action: string; service_name: string | null; actor: string; outcome: string; at: Date }[]
    >(`SELECT action, service_name, actor, outcome, at FROM vault_audit WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, [
      userId,
      Math.min(Math.max(limit, 1), 500),
    ]);
    return rows.map((r) => ({
      action: r.action,
      serviceName: r.service_name,
      actor: r.actor,
      outcome: r.outcome,
      at: r.at,
    }));
  }

  /**
   * What an agent uses: the secret of `serviceName`, only if the user granted it to that agent and
   * the vault is open (or the server key opens it). Refusals are audited and explained.
   */
  async secretFor(userId: string, agentNumber: number, serviceName: string): Promise<Record<string, unknown>> {
    const actor: VaultActor = `agent#${agentNumber}`;
    const [granted] = await this.db.query<unknown[]>(
      `SELECT 1 FROM vault_grants WHERE user_id = $1 AND agent_number = $2 AND service_name = $3`,
      [userId, agentNumber, serviceName],
    );
    if (!granted) {
      await this.audit(userId, 'read', actor, 'denied', serviceName);
      throw new DomainError(
        ErrorCode.Forbidden,
        `agent #${agentNumber} may not read ${serviceName}: grant it with "grant #${agentNumber} ${serviceName}"`,
      );
    }
    const credential = await this.findByService(userId, serviceName);
    if (!credential) throw new DomainError(ErrorCode.NotFound, `no credential stored for ${serviceName}`);
    const row = await this.row(userId, credential.id);
    const s = await this.session(userId);
    const secret = decryptSecret(s.kek, row.id, row.service_name, JSON.parse(row.encrypted_data) as Envelope);
    await this.audit(userId, 'read', actor, 'ok', serviceName, row.id);
    return secret as Record<string, unknown>;
  }

  /**
   * A new master password: a new key, every data key re-wrapped, the old key retired, all in one
   * transaction. Interrupted anywhere, nothing changes: the old password still opens everything.
   * `afterEach` lets a test interrupt it midway.
   */
  async changeMasterPassword(
    userId: string,
    oldPassword: string,
    newPassword: string,
    afterEach?: (done: number) => void,
  ): Promise<{ rewrapped: number }> {
    if (newPassword.length < 12)
      throw new DomainError(ErrorCode.Invalid, 'a master password needs at least 12 characters');
    const key = await this.activeKey(userId);
    if (!key) throw new DomainError(ErrorCode.NotFound, 'there is no vault yet: unlock sets the first master password');
    const { params, salt } = fromPhc(key.kdf);
    const oldKek = await deriveKek(oldPassword, params, salt);
    if (!checkVerifier(oldKek, key.id, key.verifier)) {
      oldKek.fill(0);
      await this.audit(userId, 'change_master', 'user', 'failed');
      throw new DomainError(ErrorCode.Unauthenticated, 'wrong master password');
    }
    let created: { id: string; kek: Buffer } | undefined;
    try {
      const count = await this.db.transaction(async (tx) => {
        await tx.query(`UPDATE vault_keys SET retired_at = now() WHERE id = $1`, [key.id]);
        created = await this.createKey(tx, userId, newPassword);
        const rows = await tx.query<CredentialRow[]>(`SELECT * FROM credentials WHERE user_id = $1 FOR UPDATE`, [
          userId,
        ]);
        let done = 0;
        for (const row of rows) {
          const moved = rewrap(oldKek, created.kek, row.id, JSON.parse(row.encrypted_data) as Envelope);
          await tx.query(
            `UPDATE credentials SET encrypted_data = $2, encryption_key_id = $3, updated_at = now() WHERE id = $1`,
            [row.id, JSON.stringify(moved), created.id],
          );
          afterEach?.(++done);
        }
        return rows.length;
      });
      await this.lock(userId);
      await this.open(userId, created!.kek, created!.id);
      await this.audit(userId, 'change_master', 'user', 'ok');
      return { rewrapped: count };
    } catch (err) {
      created?.kek.fill(0);
      throw err;
    } finally {
      oldKek.fill(0);
    }
  }

  private async createKey(m: EntityManager, userId: string, password: string): Promise<{ id: string; kek: Buffer }> {
    const id = randomUUID();
    const salt = newSalt();
    const kek = await deriveKek(password, this.config.vault.kdf, salt);
    await m.query(`INSERT INTO vault_keys (id, user_id, kdf, verifier) VALUES ($1, $2, $3, $4)`, [
      id,
      userId,
      toPhc(this.config.vault.kdf, salt),
      JSON.stringify(makeVerifier(kek, id)),
    ]);
    return { id, kek };
  }

  private async open(userId: string, kek: Buffer, keyId: string): Promise<void> {
    this.forget(userId);
    this.sessions.set(userId, { kek, keyId, timer: this.idleTimer(userId) });
    await this.shared?.put(userId, keyId, kek);
  }

  private idleTimer(userId: string): NodeJS.Timeout {
    // This process's copy idles out; a shared session idles out in Redis by the same clock.
    const timer = setTimeout(() => {
      if (this.forget(userId))
        this.logger.log(`vault of user ${userId} locked after ${this.config.vault.autoLockMs / 60_000} idle minutes`);
    }, this.config.vault.autoLockMs);
    timer.unref();
    return timer;
  }

  /** The open session (idle timer restarted), opening it with the server key when there is one. */
  private async session(userId: string): Promise<Session> {
    let s = this.sessions.get(userId);
    if (this.shared) {
      // Locked elsewhere (or idle everywhere) wins over this process's copy, even before the notice arrives.
      if (s && !(await this.shared.touch(userId))) {
        this.forget(userId);
        s = undefined;
      }
      if (!s) {
        const open = await this.shared.get(userId);
        if (open) {
          s = { ...open, timer: this.idleTimer(userId) };
          this.sessions.set(userId, s);
        }
      }
    }
    if (!s && this.serverKey && (await this.activeKey(userId))) {
      await this.unlock(userId, this.serverKey, 'api').catch(() => undefined);
      s = this.sessions.get(userId);
    }
    if (!s) throw new VaultLockedError();
    clearTimeout(s.timer);
    s.timer = this.idleTimer(userId);
    return s;
  }

  private async activeKey(userId: string): Promise<KeyRow | null> {
    const [row] = await this.db.query<KeyRow[]>(
      `SELECT id, kdf, verifier FROM vault_keys WHERE user_id = $1 AND retired_at IS NULL`,
      [userId],
    );
    return row ?? null;
  }

  private async row(userId: string, id: string): Promise<CredentialRow> {
    const [row] = await this.db.query<CredentialRow[]>(`SELECT * FROM credentials WHERE id = $1 AND user_id = $2`, [
      id,
      userId,
    ]);
    if (!row) throw new DomainError(ErrorCode.NotFound, `credential ${id} not found`);
    return row;
  }

  private async recentFailures(userId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM vault_audit
       WHERE user_id = $1 AND action = 'unlock' AND outcome = 'failed' AND at > $2
         AND at > COALESCE((SELECT max(at) FROM vault_audit WHERE user_id = $1 AND action IN ('unlock', 'setup') AND outcome = 'ok'), 'epoch')`,
      [userId, new Date(Date.now() - FAILURE_WINDOW_MS)],
    );
    return row?.n ?? 0;
  }

  private async audit(
    userId: string,
    action: string,
    actor: VaultActor,
    outcome: 'ok' | 'failed' | 'denied' | 'refused',
    serviceName?: string,
    credentialId?: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO vault_audit (user_id, action, service_name, credential_id, actor, outcome) VALUES ($1, $2, $3, $4, $5, $6)`,
      [userId, action, serviceName ?? null, credentialId ?? null, actor, outcome],
    );
  }
}

function summary(r: CredentialRow): CredentialSummary {
  return {
    id: r.id,
    serviceName: r.service_name,
    metadata: r.metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
