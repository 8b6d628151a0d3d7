import { Logger } from '@nestjs/common';
import { type Clock, SystemClock } from '../common/clock.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { SharedVaultSessions } from './vault-shared-sessions.js';
import type { VaultAuditRepository } from './vault-audit.repository.js';
import type { VaultKeys } from './vault-keys.js';
import type { VaultLockout } from './vault-lockout.js';
import { assertMasterPassword, VaultLockedError, type VaultActor } from './vault.types.js';

/** An open vault: the key-encryption key and the id of the key it belongs to. */
export interface OpenVault {
  kek: Buffer;
  keyId: string;
}

interface Session extends OpenVault {
  timer: NodeJS.Timeout;
  /** When it was last used, by the injected clock: a session idle longer than the auto-lock is closed on sight. */
  usedAt: number;
}

/**
 * Unlock sessions: the master password opens a person's vault and the KEK stays in this process's
 * memory until it is locked or idles out (VAULT_AUTO_LOCK), then it is zeroed. In server mode the
 * sessions are shared by every process through Redis (SharedVaultSessions); with a server key
 * (PAIOS_VAULT_KEY) a vault made with it opens itself when something needs it.
 */
export class VaultSessions {
  private readonly logger = new Logger('Vault');
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly keys: VaultKeys,
    private readonly lockout: VaultLockout,
    private readonly audit: VaultAuditRepository,
    private readonly autoLockMs: number,
    private readonly serverKey?: string,
    private readonly shared?: SharedVaultSessions,
    private readonly clock: Clock = new SystemClock(),
  ) {}

  get hasServerKey(): boolean {
    return Boolean(this.serverKey);
  }

  /** Hears of locks made by other processes. */
  async start(): Promise<void> {
    await this.shared?.listen((userId) => {
      if (this.forget(userId)) this.logger.log(`vault of user ${userId} locked by another process`);
    });
  }

  /** Zeroes this process's keys; shared sessions stay open for the other processes (and idle out). */
  async stop(): Promise<void> {
    for (const userId of [...this.sessions.keys()]) this.forget(userId);
    await this.shared?.close();
  }

  /** Whether the vault is open in this process (server mode: or in another one). */
  async isUnlocked(userId: string): Promise<boolean> {
    this.expireIdle(userId);
    return this.sessions.has(userId) || (this.shared ? (await this.shared.get(userId)) !== null : false);
  }

  /**
   * Opens the vault with the master password (the first unlock sets it). A wrong password opens
   * nothing, is audited, and after five failures in 15 minutes the vault refuses to try.
   */
  async unlock(userId: string, password: string, actor: VaultActor = 'user'): Promise<{ created: boolean }> {
    await this.lockout.check(userId, actor);
    const key = await this.keys.active(userId);
    if (!key) {
      assertMasterPassword(password);
      const created = await this.keys.create(userId, password);
      await this.open(userId, created.kek, created.id);
      await this.audit.record(userId, 'setup', actor, 'ok');
      return { created: true };
    }
    const kek = await this.keys.open(key, password);
    if (!kek) {
      await this.lockout.failed(userId, actor);
      throw new DomainError(ErrorCode.Unauthenticated, 'wrong master password');
    }
    await this.open(userId, kek, key.id);
    await this.audit.record(userId, 'unlock', actor, 'ok');
    return { created: false };
  }

  /** Locks the vault everywhere: this process's key is zeroed, other processes are told to do so. */
  async lock(userId: string): Promise<boolean> {
    const here = this.forget(userId);
    const elsewhere = this.shared ? await this.shared.drop(userId) : false;
    return here || elsewhere;
  }

  /** Makes `kek` the open session of the person, here and (server mode) for every process. */
  async open(userId: string, kek: Buffer, keyId: string): Promise<void> {
    this.forget(userId);
    this.sessions.set(userId, { kek, keyId, timer: this.idleTimer(userId), usedAt: this.clock.now().getTime() });
    await this.shared?.put(userId, keyId, kek);
  }

  /**
   * The open session (idle timer restarted), opening it with the server key when there is one;
   * VaultLockedError when the vault stays locked.
   */
  async require(userId: string): Promise<OpenVault> {
    this.expireIdle(userId);
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
          s = { ...open, timer: this.idleTimer(userId), usedAt: this.clock.now().getTime() };
          this.sessions.set(userId, s);
        }
      }
    }
    if (!s && this.serverKey && (await this.keys.active(userId))) {
      await this.unlock(userId, this.serverKey, 'api').catch(() => undefined);
      s = this.sessions.get(userId);
    }
    if (!s) throw new VaultLockedError();
    clearTimeout(s.timer);
    s.timer = this.idleTimer(userId);
    s.usedAt = this.clock.now().getTime();
    return s;
  }

  /** The timer zeroes an idle key in time; this closes one the timer has not reached yet (a busy event loop, a moved clock). */
  private expireIdle(userId: string): void {
    const s = this.sessions.get(userId);
    if (s && this.clock.now().getTime() - s.usedAt >= this.autoLockMs && this.forget(userId))
      this.logger.log(`vault of user ${userId} locked after ${this.autoLockMs / 60_000} idle minutes`);
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

  private idleTimer(userId: string): NodeJS.Timeout {
    // This process's copy idles out; a shared session idles out in Redis by the same clock.
    const timer = setTimeout(() => {
      if (this.forget(userId))
        this.logger.log(`vault of user ${userId} locked after ${this.autoLockMs / 60_000} idle minutes`);
    }, this.autoLockMs);
    timer.unref();
    return timer;
  }
}
