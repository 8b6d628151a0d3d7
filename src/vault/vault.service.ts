import { Inject, Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { PAIOS_CONFIG } from '../config/config.module.js';
import type { PaiosConfig } from '../config/config.schema.js';
import { REDIS_CLIENT } from '../database/redis.module.js';
import { CredentialRepository } from './credential.repository.js';
import { VaultAuditRepository } from './vault-audit.repository.js';
import { VaultGrantRepository } from './vault-grant.repository.js';
import { VaultGrants } from './vault-grants.js';
import { VaultKeyRepository } from './vault-key.repository.js';
import { VaultKeys } from './vault-keys.js';
import { VaultLockout } from './vault-lockout.js';
import { VaultRotation } from './vault-rotation.js';
import { VaultSecrets } from './vault-secrets.js';
import { VaultSessions } from './vault-sessions.js';
import { SharedVaultSessions } from './vault-shared-sessions.js';
import { assertFloor } from './vault.crypto.js';
import type { AuditEntry, CredentialSummary, VaultActor, VaultGrant, VaultStatus } from './vault.types.js';

export { VaultLockedError } from './vault.types.js';
export type { AuditEntry, CredentialSummary, VaultActor, VaultGrant, VaultStatus } from './vault.types.js';

/**
 * Each person's vault, as the rest of paios sees it: the master password unlocks a session (the KEK
 * in memory, zeroed on lock or after VAULT_AUTO_LOCK idle); secrets are stored and revealed through
 * it; agents read a service's secret only when granted; every unlock, failed unlock, read, reveal and
 * write is audited. PAIOS_VAULT_KEY (or its file) unlocks vaults made with it on an unattended server.
 * In server mode the open sessions are shared by every process through Redis.
 *
 * This class only wires the parts and hands each call to the one that owns it: VaultSessions (unlock,
 * lock, idle), VaultLockout (wrong passwords), VaultSecrets (credentials), VaultGrants (what agents
 * read), VaultRotation (new master password); their SQL lives in the *.repository.ts beside them.
 */
@Injectable()
export class VaultService implements OnModuleInit, OnModuleDestroy {
  private readonly sessions: VaultSessions;
  private readonly secrets: VaultSecrets;
  private readonly access: VaultGrants;
  private readonly rotation: VaultRotation;
  private readonly keyRows: VaultKeyRepository;
  private readonly credentials: CredentialRepository;
  private readonly audit: VaultAuditRepository;

  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    @Optional() @Inject(REDIS_CLIENT) redis: Redis | null = null,
    @Optional() clock: Clock = new SystemClock(),
  ) {
    assertFloor(config.vault.kdf);
    const shared =
      redis && config.auth.secret
        ? new SharedVaultSessions(redis, config.redis.prefix, config.auth.secret, config.vault.autoLockMs, randomUUID())
        : undefined;
    const serverKey =
      config.vault.serverKey ??
      (config.vault.serverKeyFile
        ? readFileSync(config.vault.serverKeyFile, 'utf8').split('\n')[0]!.trim()
        : undefined);
    this.keyRows = new VaultKeyRepository(db);
    this.credentials = new CredentialRepository(db);
    this.audit = new VaultAuditRepository(db);
    const keys = new VaultKeys(this.keyRows, config.vault.kdf);
    const lockout = new VaultLockout(this.audit);
    this.sessions = new VaultSessions(keys, lockout, this.audit, config.vault.autoLockMs, serverKey, shared, clock);
    this.secrets = new VaultSecrets(this.credentials, this.sessions, this.audit);
    this.access = new VaultGrants(new VaultGrantRepository(db), this.secrets, this.audit);
    this.rotation = new VaultRotation(db, keys, this.keyRows, this.credentials, this.sessions, this.audit);
  }

  async onModuleInit(): Promise<void> {
    await this.sessions.start();
  }

  /** Zeroes this process's keys; shared sessions stay open for the other processes (and idle out). */
  async onModuleDestroy(): Promise<void> {
    await this.sessions.stop();
  }

  isUnlocked(userId: string): Promise<boolean> {
    return this.sessions.isUnlocked(userId);
  }

  unlock(userId: string, password: string, actor: VaultActor = 'user'): Promise<{ created: boolean }> {
    return this.sessions.unlock(userId, password, actor);
  }

  lock(userId: string): Promise<boolean> {
    return this.sessions.lock(userId);
  }

  store(...args: Parameters<VaultSecrets['store']>): Promise<CredentialSummary> {
    return this.secrets.store(...args);
  }

  update(...args: Parameters<VaultSecrets['update']>): Promise<CredentialSummary> {
    return this.secrets.update(...args);
  }

  remove(userId: string, id: string, actor: VaultActor = 'user'): Promise<void> {
    return this.secrets.remove(userId, id, actor);
  }

  /** Names and metadata only; works while locked. */
  list(userId: string, actor: VaultActor = 'user'): Promise<CredentialSummary[]> {
    return this.secrets.list(userId, actor);
  }

  /** The secret itself, for its owner. */
  reveal(userId: string, id: string, actor: VaultActor = 'user'): Promise<Record<string, unknown>> {
    return this.secrets.reveal(userId, id, actor);
  }

  findByService(userId: string, serviceName: string): Promise<CredentialSummary | null> {
    return this.secrets.findByService(userId, serviceName);
  }

  grant(userId: string, agentNumber: number, serviceName: string): Promise<void> {
    return this.access.grant(userId, agentNumber, serviceName);
  }

  revoke(userId: string, agentNumber: number, serviceName: string): Promise<boolean> {
    return this.access.revoke(userId, agentNumber, serviceName);
  }

  /** Whether `agentNumber` may read `serviceName` (no audit entry: nothing is read). */
  isGranted(userId: string, agentNumber: number, serviceName: string): Promise<boolean> {
    return this.access.isGranted(userId, agentNumber, serviceName);
  }

  grants(userId: string): Promise<VaultGrant[]> {
    return this.access.list(userId);
  }

  /** What an agent uses: a granted service's secret (see VaultGrants.secretFor). */
  secretFor(userId: string, agentNumber: number, serviceName: string): Promise<Record<string, unknown>> {
    return this.access.secretFor(userId, agentNumber, serviceName);
  }

  /** See VaultRotation; `afterEach` lets a test interrupt it midway. */
  changeMasterPassword(...args: Parameters<VaultRotation['changeMasterPassword']>): Promise<{ rewrapped: number }> {
    return this.rotation.changeMasterPassword(...args);
  }

  /** Whether the person has a vault, whether it is open here, and how it opens. */
  async status(userId: string): Promise<VaultStatus> {
    return {
      created: (await this.keyRows.countActive(userId)) > 0,
      unlocked: await this.sessions.isUnlocked(userId),
      serverKey: this.sessions.hasServerKey,
      credentials: await this.credentials.count(userId),
      autoLockSeconds: Math.round(this.config.vault.autoLockMs / 1000),
    };
  }

  /** The newest audit entries of one person's vault (who did what to which service, never a secret). */
  auditLog(userId: string, limit = 50): Promise<AuditEntry[]> {
    return this.audit.recent(userId, limit);
  }
}
