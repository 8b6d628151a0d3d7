import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { InvoicingModule } from '../../src/agents/invoicing/invoicing.module.js';
import { ConversationService } from '../../src/orchestrator/conversation/conversation.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { VaultService } from '../../src/vault/vault.service.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { REDIS_TEST_URL } from '../support/services.js';

/**
 * Server-side request forgery through a vault credential: a person stores an `smtp` credential that
 * points inside the server (Redis on 127.0.0.1, any other port), and asks agent #15 to send an invoice.
 * paios must refuse before connecting, say why, and answer the same for an open and a closed port.
 */
describe('outbound guard: a vault smtp credential aimed inside the server (agent #15)', () => {
  let o: OrchestratorApp;
  let userId: string;
  let say: (text: string) => Promise<string>;
  let listener: Server;
  let listenerPort: number;
  let connections = 0;
  const MASTER = 'vault master for the outbound guard';
  const redisPort = Number(new URL(REDIS_TEST_URL).port || 6379);

  beforeAll(async () => {
    listener = createServer((socket) => {
      connections++;
      socket.end('220 pretend mail server\r\n');
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
    listenerPort = (listener.address() as AddressInfo).port;
    // No PAIOS_ALLOW_HOSTS: the owner allowed nothing inside.
    o = await startOrchestrator(
      'pglite',
      { VAULT_ARGON2_MEMORY_KIB: '19456', VAULT_ARGON2_ITERATIONS: '2', VAULT_ARGON2_PARALLELISM: '1' },
      [InvoicingModule, VaultModule],
    );
    userId = (await o.app.get(UserRepository).upsertByEmail('ssrf@example.test')).id;
    const conversation = o.app.get(ConversationService);
    say = async (text) => (await conversation.handle({ userId, text })).reply;
    const vault = o.app.get(VaultService);
    await vault.unlock(userId, MASTER);
    await vault.grant(userId, 15, 'smtp');
    await say('add client Initech with email ap@initech.test');
  }, 300_000);
  afterAll(async () => {
    await o?.close();
    await new Promise((r) => listener?.close(r));
  });

  const sendThrough = async (url: string) => {
    const vault = o.app.get(VaultService);
    const data = { url, from: 'Me <me@ssrf.test>' };
    const stored = (await vault.list(userId)).find((c) => c.serviceName === 'smtp');
    if (stored) await vault.update(userId, stored.id, { data });
    else await vault.store(userId, 'smtp', data);
    const number = /INV-\d{4}-\d{4}/.exec(await say('invoice Initech for 1 hour at 100'))![0];
    return { number, reply: await say(`send ${number}`) };
  };

  it('refuses smtp://127.0.0.1:<redis port> with a clear reply, and the invoice stays unsent', async () => {
    const { number, reply } = await sendThrough(`smtp://user:pw-never-shown@127.0.0.1:${redisPort}`);
    expect(reply).toBe('Sorry: 127.0.0.1 is a loopback address; the owner can allow it with PAIOS_ALLOW_HOSTS');
    expect(reply).not.toContain('pw-never-shown');
    const [row] = await o.db.dataSource.query<{ status: string }[]>(`SELECT status FROM invoices WHERE number = $1`, [
      number,
    ]);
    expect(row?.status).toBe('draft');
  });

  it('makes no connection, and answers an open port and a closed one alike (no port scanning)', async () => {
    const open = await sendThrough(`smtp://127.0.0.1:${listenerPort}`);
    const closed = await sendThrough('smtp://127.0.0.1:9');
    expect(open.reply).toBe(closed.reply);
    expect(open.reply).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(connections).toBe(0);
  });

  // nodemailer reads the URL with its own parser, which may respell the host; the check judges the
  // host nodemailer would connect to, whatever spelling reached it.
  it.each([
    ['smtp://2130706433:25', /127\.0\.0\.1\)? is a loopback address/],
    ['smtp://[::ffff:127.0.0.1]:25', /\(127\.0\.0\.1\) is a loopback address/],
    ['smtp://169.254.169.254:25', /^Sorry: 169\.254\.169\.254 is a cloud metadata address/],
    ['smtps://10.1.2.3', /^Sorry: 10\.1\.2\.3 is a private address \(RFC 1918\)/],
    ['smtp://localhost:25', /^Sorry: localhost resolves to (127\.0\.0\.1|::1), a loopback address/],
  ])('refuses %s', async (url, message) => {
    expect((await sendThrough(url)).reply).toMatch(message);
  });
});
