import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { InboundMessage, Reply } from '../../src/adapters/chat.contract.js';
import { ChatGateway } from '../../src/adapters/core/chat-gateway.service.js';
import { InvoicingModule } from '../../src/agents/invoicing/invoicing.module.js';
import { chat as consoleChat } from '../../src/cli/chat.command.js';
import { FixedClock } from '../../src/common/clock.js';
import { CONVERSATION_MEMORY_SECONDS } from '../../src/orchestrator/conversation/conversation-history.repository.js';
import { ConversationMemory } from '../../src/orchestrator/conversation/conversation-memory.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { MemoryService } from '../../src/orchestrator/memory/memory.service.js';
import { defineAgent, defineTool } from '../../src/sdk/agent.contract.js';
import { BuiltinAgent, type AgentProvider } from '../../src/sdk/builtin-agent.decorator.js';
import { SmtpFake } from '../fakes/smtp.fake.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';
import { postgresAvailable, type TestDatabase } from '../support/services.js';

const kinds: TestDatabase['kind'][] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

/** Agent #93: answers with a client and a page, declared sensitive (as a vault answer is). */
@BuiltinAgent()
@Injectable()
class SecretDeskProvider implements AgentProvider {
  private readonly def = defineAgent({
    manifest: {
      number: 93,
      name: 'secret-desk',
      description: 'Keeps secret things',
      version: '1.0.0',
      configSchema: z.object({}),
      secrets: [],
      events: [],
    },
    tools: [
      defineTool({
        name: 'reveal',
        description: 'Reveal the secret client',
        sensitive: true,
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
        input: z.object({}),
        examples: ['reveal the secret', 'show the secret', 'tell me the secret', 'what is secret', 'secret please'],
        handler: async () => ({
          text: 'the secret client is Umbrella, at https://umbrella.test/hidden',
          data: { client: 'Umbrella', url: 'https://umbrella.test/hidden' },
        }),
      }),
    ],
  });
  definition = () => this.def;
}

@Module({ providers: [SecretDeskProvider] })
class SecretDeskModule {}

/**
 * A conversation remembers what it was about: "invoice them" after adding Acme bills Acme, "send it"
 * sends that invoice, "the same for Globex" repeats the call for Globex. Per person and chat, for a
 * while, and never what a sensitive answer said.
 */
describe.each(kinds)('conversation memory (%s)', (kind) => {
  const clock = new FixedClock('2026-03-02T10:00:00Z');
  const smtp = new SmtpFake();
  let app: ChatApp;
  let gateway: ChatGateway;

  beforeAll(async () => {
    await smtp.start();
    app = await startChatApp({
      database: kind,
      clock,
      env: { SMTP_URL: smtp.url, SMTP_FROM: 'Me <me@studio.test>', PAIOS_ADMIN_EMAILS: `owner-${kind}@example.test` },
      modules: [InvoicingModule, SecretDeskModule],
    });
    gateway = app.app.get(ChatGateway);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await smtp.stop();
  });

  /** A Telegram account talking in `channel`, as the Telegram adapter hands messages to the gateway. */
  async function person(channel = String(Math.floor(Math.random() * 1e9))) {
    const account = String(Math.floor(Math.random() * 1e9));
    const userId = await app.pair('telegram', account);
    const say = async (text: string): Promise<string> => {
      const replies: Reply[] = [];
      const msg: InboundMessage = {
        platform: 'telegram',
        eventId: randomUUID(),
        address: { platform: 'telegram', workspace: '', channel },
        sender: { id: account },
        text,
        direct: true,
      };
      await gateway.receive(msg, { reply: async (r) => void replies.push(r) });
      return replies.map((r) => r.text).join('\n');
    };
    return { userId, say };
  }

  const clients = (userId: string) =>
    app.db.dataSource
      .query<{ name: string }[]>(`SELECT name FROM clients WHERE user_id = $1 ORDER BY name`, [userId])
      .then((rows) => rows.map((r) => r.name));
  const invoices = (userId: string) =>
    app.db.dataSource.query<{ number: string; client: string; status: string; total: string }[]>(
      `SELECT i.number, c.name AS client, i.status, i.total_minor::text AS total
         FROM invoices i JOIN clients c ON c.id = i.client_id WHERE i.user_id = $1 ORDER BY i.number`,
      [userId],
    );

  it('"invoice them", "send it" and "the same for Globex" point back into the chat', async () => {
    const { userId, say } = await person();
    expect(await say('add a client Globex with email ap@globex.test')).toContain('Added Globex');
    expect(await say('add a client Acme with email ap@acme.test')).toContain('Added Acme');

    const created = await say('invoice them for 5 hours at 100');
    expect(created).toMatch(/Created INV-2026-\d+ for Acme/);
    expect(await clients(userId)).toEqual(['Acme', 'Globex']);
    const [first] = await invoices(userId);
    expect(first).toMatchObject({ client: 'Acme', status: 'draft' });

    const sent = await say('send it');
    expect(sent).toContain(`Sent ${first!.number} to ap@acme.test`);
    expect(smtp.messages.at(-1)!.subject).toBe(`Invoice ${first!.number} from us`);

    const again = await say('the same for Globex');
    expect(again).toMatch(/Created INV-2026-\d+ for Globex/);
    const all = await invoices(userId);
    expect(all.map((i) => i.client)).toEqual(['Acme', 'Globex']);
    expect(all[1]!.total).toBe(all[0]!.total);

    expect(await say('send that invoice')).toContain(`Sent ${all[1]!.number} to ap@globex.test`);
    expect(await clients(userId)).toEqual(['Acme', 'Globex']);
  });

  it('forgets after a quiet while: "them" then names nobody, and nothing is created', async () => {
    const { userId, say } = await person();
    await say('add a client Initech');
    // A conversation that goes on keeps what it was about, however long ago it was named.
    const minutes = (n: number) => n * 60 * 1000;
    clock.advance(minutes(20));
    expect(await say('show my invoices')).toContain('No invoices');
    clock.advance(minutes(20));
    expect(await say('invoice them for 1 hour at 10')).toMatch(/Created INV-2026-\d+ for Initech/);
    clock.advance((CONVERSATION_MEMORY_SECONDS + 60) * 1000);
    // The hourly clean-up removes them even if this person never writes again.
    await app.app.get(MemoryService).pruneExpired();
    const [left] = await app.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM conversation_turns WHERE user_id = $1`,
      [userId],
    );
    expect(left!.n).toBe(0);
    const reply = await say('invoice them for 5 hours at 100');
    expect(reply).toMatch(/Which client do you mean by "them"\?/);
    expect(await clients(userId)).toEqual(['Initech']);
    expect(await invoices(userId)).toHaveLength(1);
  });

  it("another person's chat, and the same person's other chat, remember nothing of this one", async () => {
    const group = String(Math.floor(Math.random() * 1e9));
    const alice = await person(group);
    const bob = await person(group);
    await alice.say('add a client Hooli');
    await bob.say('add a client Pied Piper');
    expect(await alice.say('invoice them for 2 hours at 50')).toMatch(/Created INV-2026-\d+ for Hooli/);
    expect(await bob.say('invoice them for 2 hours at 50')).toMatch(/Created INV-2026-\d+ for Pied Piper/);
    expect(await bob.say('send it')).not.toContain('Hooli');

    const memory = app.app.get(ConversationMemory);
    expect((await memory.recall(alice.userId, `telegram::${group}`)).referents).toMatchObject({ client: 'Hooli' });
    expect((await memory.recall(alice.userId, 'telegram::elsewhere')).turns).toEqual([]);
    expect(await invoices(bob.userId)).toEqual([expect.objectContaining({ client: 'Pied Piper' })]);
  });

  it('keeps tool calls and results as history, and of a sensitive answer only that it happened', async () => {
    const { userId, say } = await person();
    await say('add a client Acme');
    expect(await say('#93 reveal')).toContain('Umbrella');
    const created = await say('invoice them for 1 hour at 10');
    expect(created).toMatch(/for Acme/);

    const rows = await app.db.dataSource.query<Record<string, unknown>[]>(
      `SELECT said, reply, tool, parameters, result, referents, sensitive FROM conversation_turns
        WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ tool: 'add_client', parameters: { name: 'Acme' }, sensitive: false });
    expect(rows[0]!.result).toMatchObject({ name: 'Acme' });
    expect(rows[0]!.referents).toMatchObject({ client: 'Acme' });
    expect(rows[1]).toMatchObject({ tool: 'reveal', sensitive: true, parameters: null, result: null, referents: {} });
    expect(JSON.stringify(rows[1])).not.toMatch(/Umbrella|umbrella\.test/);
    expect(rows[2]).toMatchObject({ said: 'invoice Acme for 1 hour at 10', tool: 'create_invoice' });
  });

  it('the console (`paios chat`, one run per message) remembers across runs', async () => {
    const owner = await app.app.get(UserRepository).upsertByEmail(`owner-${kind}@example.test`);
    const running = { app: app.app, shutdown: () => Promise.resolve() };
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    try {
      expect(await consoleChat(running, app.config, 'add a client Soylent')).toBe(0);
      printed.length = 0;
      expect(await consoleChat(running, app.config, 'invoice them for 3 hours at 80')).toBe(0);
      expect(printed.join('\n')).toMatch(/Created INV-2026-\d+ for Soylent/);
    } finally {
      log.mockRestore();
    }
    expect(await invoices(owner.id)).toEqual([expect.objectContaining({ client: 'Soylent' })]);
  });
});
