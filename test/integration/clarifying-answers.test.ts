import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Update } from '@grammyjs/types';
import { randomUUID } from 'node:crypto';
import type { Reply } from '../../src/adapters/chat.contract.js';
import { ChatGateway } from '../../src/adapters/core/chat-gateway.service.js';
import { TelegramAdapter } from '../../src/adapters/telegram/telegram.adapter.js';
import { TelegramModule } from '../../src/adapters/telegram/telegram.module.js';
import { InvoicingModule } from '../../src/agents/invoicing/invoicing.module.js';
import { chat as consoleChat } from '../../src/cli/chat.command.js';
import { FixedClock } from '../../src/common/clock.js';
import { ConversationService } from '../../src/orchestrator/conversation/conversation.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { TelegramFake, type SentMessage } from '../fakes/telegram.fake.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';
import { testConfig } from '../support/config.js';
import { waitFor } from '../support/wait.js';
import { deliverUpdate } from '../support/telegram-webhook.js';

const SECRET = 'clarify-secret_0123456789';

/**
 * When the router is unsure it asks back with numbered choices. The answer, whether a pressed button,
 * a number, an ordinal or the tool's words, runs the original request on the chosen tool.
 */
describe('answers to a clarifying question', () => {
  const clock = new FixedClock('2026-03-02T10:00:00Z');
  const telegram = new TelegramFake();
  const alice = telegram.user(4242, 'Alice', 'alice');
  const aliceChat = telegram.privateChat(alice);
  let app: ChatApp;
  let conversation: ConversationService;
  let gateway: ChatGateway;

  beforeAll(async () => {
    await telegram.start();
    const env = {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      PAIOS_ADMIN_EMAILS: 'owner@example.test',
    };
    app = await startChatApp({
      env,
      clock,
      modules: [InvoicingModule, TelegramModule.forRoot(testConfig(env), 'server')],
    });
    conversation = app.app.get(ConversationService);
    gateway = app.app.get(ChatGateway);
    await waitFor(() => app.app.get(TelegramAdapter).status().state === 'ready');
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await telegram.stop();
  });

  const newUser = () => app.app.get(UserRepository).upsertByEmail(`c-${randomUUID().slice(0, 8)}@example.test`);
  const clients = (userId: string) =>
    app.db.dataSource
      .query<{ name: string }[]>(`SELECT name FROM clients WHERE user_id = $1 ORDER BY name`, [userId])
      .then((rows) => rows.map((r) => r.name));

  it('runs the original request on the tool chosen by number, ordinal or its words, once', async () => {
    const { id: userId } = await newUser();
    const say = (text: string, chat = 'test:a') => conversation.handle({ userId, text, chat });

    // A bare name that no example of the agent's tools uses: like none of them, so asked back.
    const asked = await say('#15 Vehement');
    expect(asked.response).toBeUndefined();
    expect(asked.decision.clarification?.choices.map((c) => c.tool)).toEqual([
      'add_client',
      'list_clients',
      'create_invoice',
    ]);
    expect(asked.pendingChoiceId).toBeDefined();

    const chosen = await say('1');
    expect(chosen.decision).toMatchObject({
      agentNumber: 15,
      tool: 'add_client',
      via: 'choice',
      text: '#15 Vehement',
    });
    expect(chosen.reply).toContain('Added Vehement');
    expect(await clients(userId)).toEqual(['Vehement']);
    // The question is answered: "1" again is a new request, not a second client.
    const again = await say('1');
    expect(again.decision.via).not.toBe('choice');
    expect(await clients(userId)).toEqual(['Vehement']);

    await say('#15 Vehement');
    const invoice = await say('the invoice one');
    expect(invoice.decision).toMatchObject({ tool: 'create_invoice', via: 'choice' });
    expect(invoice.decision.parameters).toMatchObject({ client: 'Vehement' });

    await say('#15 Vehement');
    const second = await say('the second');
    expect(second.decision).toMatchObject({ tool: 'list_clients', via: 'choice' });
    expect(second.reply).toContain('Vehement');

    await say('#15 Vehement');
    const words = await say('add client');
    expect(words.decision).toMatchObject({ tool: 'add_client', via: 'choice' });
    expect(words.reply).toMatch(/already|Vehement/);
    expect(await clients(userId)).toEqual(['Vehement']);
  });

  it('treats a reply that is no choice as a new request, keeps questions per chat, and lets them expire', async () => {
    const { id: userId } = await newUser();
    const say = (text: string, chat = 'test:b') => conversation.handle({ userId, text, chat });

    await say('#15 Vehement');
    const fresh = await say('add a client Globex');
    expect(fresh.decision).toMatchObject({ tool: 'add_client', via: 'nlu', parameters: { name: 'Globex' } });
    const after = await say('2');
    expect(after.decision.via).not.toBe('choice');

    await say('#15 Vehement', 'test:one-chat');
    expect((await say('1', 'test:another-chat')).decision.via).not.toBe('choice');
    expect((await say('1', 'test:one-chat')).decision.via).toBe('choice');
    expect(await clients(userId)).toEqual(['Globex', 'Vehement']);

    const asked = await say('#15 Vehement');
    clock.advance(16 * 60 * 1000);
    const late = await say('1');
    expect(late.decision.via).not.toBe('choice');
    const pressed = await say(`/choose ${asked.pendingChoiceId!} 1`);
    expect(pressed.reply).toMatch(/expired/);
    expect(pressed.response).toBeUndefined();
    expect(await clients(userId)).toEqual(['Globex', 'Vehement']);
  });

  it('a pressed Telegram button re-runs "Vehement" as adding client Vehement, not "add_client vehement"', async () => {
    const userId = await app.pair('telegram', String(alice.id));
    const exchange = async (update: Update, count = 1): Promise<SentMessage[]> =>
      deliverUpdate(telegram, { url: app.url, secret: SECRET }, update, alice.id, count);

    const [question] = await exchange(telegram.textUpdate(alice, aliceChat, '#15 Vehement'));
    const keyboard = question!.replyMarkup!.inline_keyboard;
    expect(keyboard.map((row) => row[0]!.text)).toEqual([
      '1. #15 Add a client to bill',
      '2. #15 List your clients',
      '3. #15 Create an invoice for a client',
    ]);
    const data = (keyboard[0]![0] as { callback_data: string }).callback_data;
    const [answer] = await exchange(telegram.callbackUpdate(alice, question!, data));
    expect(answer!.text).toContain('Added Vehement');
    expect(await clients(userId)).toEqual(['Vehement']);

    // Pressing it again (another device, a stale keyboard) runs nothing.
    const [stale] = await exchange(telegram.callbackUpdate(alice, question!, data));
    expect(stale!.text).toMatch(/expired or was already answered/);
    expect(await clients(userId)).toEqual(['Vehement']);
  });

  it('the console (`paios chat`, one run per message) understands "1" after a question', async () => {
    const owner = await app.app.get(UserRepository).upsertByEmail('owner@example.test');
    const running = { app: app.app, shutdown: () => Promise.resolve() };
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    try {
      expect(await consoleChat(running, app.config, '#15 Vehement')).toBe(1);
      expect(printed.join('\n')).toContain('1. #15 invoicing: Add a client to bill');
      expect(printed.join('\n')).not.toContain('/choose');
      printed.length = 0;
      expect(await consoleChat(running, app.config, '1')).toBe(0);
      expect(printed.join('\n')).toContain('Added Vehement');
    } finally {
      log.mockRestore();
    }
    expect(await clients(owner.id)).toEqual(['Vehement']);

    // POST /api/chat goes through the same console conversation.
    const replies: Reply[] = [];
    const responder = { reply: async (r: Reply) => void replies.push(r) };
    const address = { platform: 'console' as const, workspace: '', channel: owner.id };
    const msg = (text: string) => ({
      platform: 'console' as const,
      eventId: randomUUID(),
      address,
      sender: { id: owner.id },
      text,
      direct: true,
    });
    await gateway.receive(msg('#15 Initrode'), responder);
    await gateway.receive(msg('the first one'), responder);
    expect(replies.at(-1)!.text).toContain('Added Initrode');
  });
});
