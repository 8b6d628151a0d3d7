import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { hkdfSync } from 'node:crypto';
import { open, seal, type Sealed } from './vault.crypto.js';

/** What one process learns from another: this person's vault was locked, or their key changed. */
interface LockNotice {
  userId: string;
  /** The process that locked it (it has already zeroed its copy). */
  origin: string;
}

/**
 * Unlock sessions shared by the app and worker processes of a server-mode paios: a person unlocks in
 * one process (the one their chat message reached) and the next message, answered by another, finds
 * the vault open. The key-encryption key is kept in Redis sealed with AES-256-GCM under a key derived
 * (HKDF) from the server secret every process shares, bound to the person and key id, and expires
 * with the idle auto-lock (each use extends it). Locking deletes it and tells every process to zero
 * its copy at once. Reading Redis alone opens nothing; Redis plus the server secret opens the vaults
 * that are unlocked at that moment, which is why embedded mode keeps sessions in memory only.
 */
export class SharedVaultSessions {
  private readonly logger = new Logger('Vault');
  private readonly wrapKey: Buffer;
  private subscriber?: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    serverSecret: string,
    private readonly idleMs: number,
    private readonly processId: string,
  ) {
    this.wrapKey = Buffer.from(
      hkdfSync('sha256', serverSecret, 'paios-vault-session', 'paios-vault/v1/session-key', 32),
    );
  }

  /** Listens for locks made elsewhere; `onLock` zeroes this process's copy. */
  async listen(onLock: (userId: string) => void): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('error', (err: Error) => this.logger.warn(`vault lock channel: ${err.message}`));
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        const notice = JSON.parse(message) as LockNotice;
        if (notice.origin !== this.processId) onLock(notice.userId);
      } catch {
        // Not ours; ignore.
      }
    });
    await this.subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
    this.wrapKey.fill(0);
  }

  async put(userId: string, keyId: string, kek: Buffer): Promise<void> {
    const sealed = seal(this.wrapKey, kek, this.aad(userId, keyId));
    await this.redis.set(this.key(userId), JSON.stringify({ keyId, sealed }), 'PX', this.idleMs);
  }

  /** The open session of this person, if some process unlocked it and it has not idled out. */
  async get(userId: string): Promise<{ keyId: string; kek: Buffer } | null> {
    const raw = await this.redis.get(this.key(userId));
    if (!raw) return null;
    try {
      const { keyId, sealed } = JSON.parse(raw) as { keyId: string; sealed: Sealed };
      return { keyId, kek: open(this.wrapKey, sealed, this.aad(userId, keyId)) };
    } catch {
      // Sealed under another server secret, or tampered with: treat as locked.
      return null;
    }
  }

  /** A use of the vault: the shared idle clock starts again. False when it was locked or idled out. */
  async touch(userId: string): Promise<boolean> {
    return (await this.redis.pexpire(this.key(userId), this.idleMs)) === 1;
  }

  /** Ends the shared session and tells the other processes; true when one was open. */
  async drop(userId: string): Promise<boolean> {
    const removed = await this.redis.del(this.key(userId));
    const notice: LockNotice = { userId, origin: this.processId };
    await this.redis.publish(this.channel, JSON.stringify(notice));
    return removed > 0;
  }

  private get channel(): string {
    return `${this.prefix}:vault:locks`;
  }

  private key(userId: string): string {
    return `${this.prefix}:vault:session:${userId}`;
  }

  private aad(userId: string, keyId: string): string {
    return `paios-vault/v1/session/${userId}/${keyId}`;
  }
}
