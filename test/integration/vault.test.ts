import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Clock, FixedClock } from '../../src/common/clock.js';
import { DomainError } from '../../src/common/errors.js';
import type { PaiosConfig } from '../../src/config/config.schema.js';
import { PAIOS_CONFIG } from '../../src/config/config.module.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { VaultLockedError, VaultService } from '../../src/vault/vault.service.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { Redis } from 'ioredis';
import { postgresAvailable, REDIS_TEST_URL, redisAvailable, type TestDatabase } from '../support/services.js';

const withRedis = await redisAvailable();
const kinds: TestDatabase['kind'][] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

/** OWASP's cheapest accepted Argon2id setting keeps the suite quick; defaults are checked in the spec. */
const FAST_KDF = { VAULT_ARGON2_MEMORY_KIB: '19456', VAULT_ARGON2_ITERATIONS: '2', VAULT_ARGON2_PARALLELISM: '1' };
const MASTER = 'correct horse battery staple';
const CANARY = 'sk_live_CANARY_7f3e9a1c';

describe.each(kinds)('vault (%s)', (kind) => {
  let o: OrchestratorApp;
  let vault: VaultService;
  let config: PaiosConfig;
  let userId: string;

  beforeAll(async () => {
    o = await startOrchestrator(kind, FAST_KDF, [VaultModule]);
    vault = o.app.get(VaultService);
    config = o.app.get<PaiosConfig>(PAIOS_CONFIG);
    userId = (await o.app.get(UserRepository).upsertByEmail(`vault-${kind}@example.test`)).id;
  });
  afterAll(async () => {
    await o?.close();
  });

  /** Another VaultService on the same database, with settings changed (auto-lock, server key). */
  const variant = (vaultSettings: Partial<PaiosConfig['vault']>, clock?: Clock) =>
    new VaultService(o.db.dataSource, { ...config, vault: { ...config.vault, ...vaultSettings } }, null, clock);

  const failureOf = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  };

  it('sets the master password on first unlock, stores a secret, lists names only and reveals it', async () => {
    expect(await vault.unlock(userId, MASTER)).toEqual({ created: true });
    const stored = await vault.store(userId, 'stripe', { apiKey: CANARY }, { account: 'acme' });
    const list = await vault.list(userId);
    expect(list).toEqual([
      expect.objectContaining({ id: stored.id, serviceName: 'stripe', metadata: { account: 'acme' } }),
    ]);
    expect(JSON.stringify(list)).not.toContain(CANARY);
    expect(await vault.reveal(userId, stored.id)).toEqual({ apiKey: CANARY });
    const [row] = await o.db.dataSource.query<{ encrypted_data: string; encryption_key_id: string }[]>(
      `SELECT encrypted_data, encryption_key_id FROM credentials WHERE id = $1`,
      [stored.id],
    );
    expect(row!.encrypted_data).not.toContain(CANARY);
    expect(row!.encryption_key_id).toMatch(/^[0-9a-f-]{36}$/);
    await expect(vault.store(userId, 'stripe', { apiKey: 'again' })).rejects.toThrow(/already a credential for stripe/);
  });

  it('opens nothing with a wrong master password and stops trying after five failures', async () => {
    await vault.lock(userId);
    await expect(vault.reveal(userId, (await vault.list(userId))[0]!.id)).rejects.toBeInstanceOf(VaultLockedError);
    for (let i = 0; i < 5; i++)
      expect((await failureOf(vault.unlock(userId, 'wrong password here'))).message).toBe('wrong master password');
    expect(await vault.isUnlocked(userId)).toBe(false);
    // Even the right password is not tried now.
    expect((await failureOf(vault.unlock(userId, MASTER))).message).toMatch(/too many wrong master passwords/);
    const audit = await o.db.dataSource.query<{ outcome: string }[]>(
      `SELECT outcome FROM vault_audit WHERE user_id = $1 AND action = 'unlock' ORDER BY id`,
      [userId],
    );
    expect(audit.map((a) => a.outcome)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'refused']);
  });

  it('keeps the audit log append-only', async () => {
    await expect(o.db.dataSource.query(`UPDATE vault_audit SET outcome = 'ok'`)).rejects.toThrow(/append-only/);
    await expect(o.db.dataSource.query(`DELETE FROM vault_audit`)).rejects.toThrow(/append-only/);
  });

  it('lets an agent read only the services the user granted it', async () => {
    const other = (await o.app.get(UserRepository).upsertByEmail(`grants-${kind}@example.test`)).id;
    await vault.unlock(other, MASTER);
    await vault.store(other, 'smtp', { url: 'smtp://mailer:hunter22@mail.example.test' });
    expect((await failureOf(vault.secretFor(other, 15, 'smtp'))).message).toMatch(/agent #15 may not read smtp/);
    await vault.grant(other, 15, 'smtp');
    expect(await vault.secretFor(other, 15, 'smtp')).toEqual({ url: 'smtp://mailer:hunter22@mail.example.test' });
    expect((await failureOf(vault.secretFor(other, 1, 'smtp'))).message).toMatch(/agent #1 may not read smtp/);
    expect(await vault.revoke(other, 15, 'smtp')).toBe(true);
    await expect(vault.secretFor(other, 15, 'smtp')).rejects.toThrow(/may not read/);
    const actors = await o.db.dataSource.query<{ actor: string; outcome: string }[]>(
      `SELECT actor, outcome FROM vault_audit WHERE user_id = $1 AND action = 'read' ORDER BY id`,
      [other],
    );
    expect(actors).toEqual([
      { actor: 'agent#15', outcome: 'denied' },
      { actor: 'agent#15', outcome: 'ok' },
      { actor: 'agent#1', outcome: 'denied' },
      { actor: 'agent#15', outcome: 'denied' },
    ]);
  });

  it('locks itself after the idle time, and use keeps it open', async () => {
    // Time is the injected clock's: a busy machine must not lock the vault between two uses.
    const clock = new FixedClock('2026-12-01T09:00:00Z');
    const quick = variant({ autoLockMs: 60_000 }, clock);
    const user = (await o.app.get(UserRepository).upsertByEmail(`idle-${kind}@example.test`)).id;
    await quick.unlock(user, MASTER);
    const { id } = await quick.store(user, 'github', { token: 'ghp_idle' });
    for (let i = 0; i < 3; i++) {
      clock.advance(40_000); // three uses 40 s apart: 120 s in all, each within a minute of the last
      expect(await quick.reveal(user, id)).toEqual({ token: 'ghp_idle' });
    }
    clock.advance(60_000);
    expect(await quick.isUnlocked(user)).toBe(false);
    await expect(quick.reveal(user, id)).rejects.toBeInstanceOf(VaultLockedError);
    await quick.onModuleDestroy();
  });

  it('opens vaults made with the server key on an unattended server', async () => {
    const serverKey = 'server-vault-key-0123456789';
    const user = (await o.app.get(UserRepository).upsertByEmail(`server-${kind}@example.test`)).id;
    await vault.unlock(user, serverKey);
    await vault.store(user, 'telegram', { token: '123:abc' });
    await vault.grant(user, 8, 'telegram');
    const unattended = variant({ serverKey });
    expect(await unattended.isUnlocked(user)).toBe(false);
    expect(await unattended.secretFor(user, 8, 'telegram')).toEqual({ token: '123:abc' });
    await unattended.onModuleDestroy();
  });

  (withRedis ? it : it.skip)(
    'shares an unlock between processes through Redis, and a lock anywhere locks everywhere',
    async () => {
      const user = (await o.app.get(UserRepository).upsertByEmail(`shared-${kind}@example.test`)).id;
      const prefix = `paios-vault-test-${process.pid}-${Date.now()}`;
      const clients: Redis[] = [];
      const process_ = async (secret = config.auth.secret!) => {
        const redis = new Redis(REDIS_TEST_URL);
        clients.push(redis);
        const v = new VaultService(
          o.db.dataSource,
          { ...config, auth: { ...config.auth, secret }, redis: { ...config.redis, prefix } },
          redis,
        );
        await v.onModuleInit();
        return v;
      };
      const [one, two] = [await process_(), await process_()];
      try {
        await one.unlock(user, MASTER);
        const { id } = await one.store(user, 'slack', { token: CANARY });
        // The next message reached another process: the vault is open there too.
        expect(await two.reveal(user, id)).toEqual({ token: CANARY });
        // What Redis holds is sealed: the key is not readable, the canary is not there.
        const stored = await clients[0]!.get(`${prefix}:vault:session:${user}`);
        expect(stored).toContain('sealed');
        expect(stored).not.toContain(CANARY);
        // A process with another server secret cannot use it.
        const stranger = await process_('a different server secret, 32+ characters long');
        await expect(stranger.reveal(user, id)).rejects.toBeInstanceOf(VaultLockedError);
        await stranger.onModuleDestroy();
        // Locked in the second process: the first one drops its key too.
        expect(await two.lock(user)).toBe(true);
        await expect(one.reveal(user, id)).rejects.toBeInstanceOf(VaultLockedError);
      } finally {
        await one.onModuleDestroy();
        await two.onModuleDestroy();
        for (const c of clients) c.disconnect();
      }
    },
  );

  it('changes the master password by re-wrapping, and an interruption midway loses nothing', async () => {
    const user = (await o.app.get(UserRepository).upsertByEmail(`rekey-${kind}@example.test`)).id;
    await vault.unlock(user, MASTER);
    const ids = [];
    for (const service of ['a', 'b', 'c'])
      ids.push((await vault.store(user, service, { secret: `value-${service}` })).id);
    const before = await o.db.dataSource.query<{ encrypted_data: string }[]>(
      `SELECT encrypted_data FROM credentials WHERE user_id = $1 ORDER BY service_name`,
      [user],
    );

    await expect(
      vault.changeMasterPassword(user, MASTER, 'a brand new master password', (done) => {
        if (done === 2) throw new Error('power cut');
      }),
    ).rejects.toThrow('power cut');
    const after = await o.db.dataSource.query<{ encrypted_data: string }[]>(
      `SELECT encrypted_data FROM credentials WHERE user_id = $1 ORDER BY service_name`,
      [user],
    );
    expect(after).toEqual(before);
    await vault.lock(user);
    await vault.unlock(user, MASTER);
    for (const [i, id] of ids.entries()) expect(await vault.reveal(user, id)).toEqual({ secret: `value-${'abc'[i]}` });

    expect(await vault.changeMasterPassword(user, MASTER, 'a brand new master password')).toEqual({ rewrapped: 3 });
    await vault.lock(user);
    await expect(vault.unlock(user, MASTER)).rejects.toThrow('wrong master password');
    await vault.unlock(user, 'a brand new master password');
    for (const [i, id] of ids.entries()) expect(await vault.reveal(user, id)).toEqual({ secret: `value-${'abc'[i]}` });
    const moved = await o.db.dataSource.query<{ encrypted_data: string }[]>(
      `SELECT encrypted_data FROM credentials WHERE user_id = $1 ORDER BY service_name`,
      [user],
    );
    // Only the wrapped data keys changed; the secrets' ciphertext is the same bytes.
    for (const [i, row] of moved.entries()) {
      const was = JSON.parse(before[i]!.encrypted_data) as { data: unknown; dk: unknown };
      const now = JSON.parse(row.encrypted_data) as { data: unknown; dk: unknown };
      expect(now.data).toEqual(was.data);
      expect(now.dk).not.toEqual(was.dk);
    }
  });

  it('leaves the canary secret nowhere in the database outside credentials', async () => {
    const tables = await o.db.dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['credentials', 'vault_audit', 'jobs']));
    for (const { table_name } of tables) {
      const rows = await o.db.dataSource.query<{ row: string }[]>(
        `SELECT row_to_json(t)::text AS row FROM "${table_name}" t`,
      );
      const text = rows.map((r) => r.row).join('\n');
      if (table_name !== 'credentials')
        expect({ table_name, leaked: text.includes(CANARY) }).toEqual({ table_name, leaked: false });
      else expect(text).not.toContain(CANARY); // encrypted at rest too
    }
  });
});
