import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Update } from '@grammyjs/types';
import { TelegramAdapter } from '../../src/adapters/telegram/telegram.adapter.js';
import { TelegramModule } from '../../src/adapters/telegram/telegram.module.js';
import { openAiAudioFake } from '../fakes/openai.fake.js';
import type { HttpFake, RecordedFile } from '../fakes/http-fake.js';
import { TelegramFake, type SentMessage } from '../fakes/telegram.fake.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';
import { testConfig } from '../support/config.js';
import { REDIS_TEST_URL, redisAvailable, tempDir } from '../support/services.js';
import { waitFor } from '../support/wait.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/audio');
/** espeak-ng "ninety one, add two and three" as OGG/Opus, the way Telegram stores voice notes. */
const VOICE_NOTE = readFileSync(join(FIXTURES, 'add-two-and-three.ogg'));
/** What the fake TTS answers: espeak-ng "five" as OGG/Opus. */
const SPOKEN = readFileSync(join(FIXTURES, 'five.ogg'));
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const SECRET = 'hook-secret_0123456789';

const run = (await redisAvailable()) ? describe : describe.skip;

/** Starts paios' chat side with the Telegram module, pointed at the fakes. */
async function startTelegramApp(env: Record<string, string>): Promise<{ app: ChatApp; adapter: TelegramAdapter }> {
  const config = testConfig(env);
  const app = await startChatApp({ env, modules: [TelegramModule.forRoot(config, 'server')] });
  const adapter = app.app.get(TelegramAdapter);
  await waitFor(() => adapter.status().state === 'ready');
  return { app, adapter };
}

run('Telegram adapter (webhook mode, Redis)', () => {
  const telegram = new TelegramFake();
  let transcribeFails = false;
  const heard: RecordedFile[] = [];
  const audio: HttpFake = openAiAudioFake({
    transcribe: (file) => {
      heard.push(file);
      if (transcribeFails) return { status: 500, error: 'the speech model crashed' };
      return '#91 add 2 3';
    },
    speak: () => SPOKEN,
  });
  const dir = tempDir('paios-telegram-');
  let app: ChatApp;
  let adapter: TelegramAdapter;

  const alice = telegram.user(111, 'Alice', 'alice');
  const aliceChat = telegram.privateChat(alice);

  const post = (update: unknown, secret: string | null = SECRET) =>
    fetch(`${app.url}/telegram/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}),
      },
      body: JSON.stringify(update),
    });

  /** Posts an update and waits until the bot has sent `count` more messages to `chatId`. */
  async function exchange(update: Update, chatId: number, count = 1): Promise<SentMessage[]> {
    const before = telegram.sentTo(chatId).length;
    const res = await post(update);
    expect(res.status).toBe(200);
    await waitFor(() => telegram.sentTo(chatId).length >= before + count, 30_000);
    return telegram.sentTo(chatId).slice(before);
  }

  beforeAll(async () => {
    await telegram.start();
    await audio.start();
    ({ app, adapter } = await startTelegramApp({
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      STT_BASE_URL: `${audio.url}/v1`,
      TTS_BASE_URL: `${audio.url}/v1`,
      REDIS_URL: REDIS_TEST_URL,
      REDIS_PREFIX: `paios-tg-${process.pid}-${Date.now()}`,
      PAIOS_DATA_DIR: dir.path,
    }));
    await app.pair('telegram', String(alice.id));
  });

  afterAll(async () => {
    await app?.close();
    await telegram.stop();
    await audio.stop();
    dir.remove();
  });

  it('reports itself ready in webhook mode after getMe', () => {
    expect(adapter.status()).toMatchObject({ platform: 'telegram', state: 'ready', modes: ['webhook'] });
    expect(telegram.calls('getMe').length).toBeGreaterThan(0);
    expect(telegram.calls('getUpdates')).toHaveLength(0);
  });

  it('transcribes a voice note, answers in text and in voice, and records the interaction', async () => {
    const file = telegram.addFile(VOICE_NOTE, 'voice/file_7.oga');
    const heardBefore = heard.length;
    const sent = await exchange(telegram.voiceUpdate(alice, aliceChat, file, 2), alice.id, 2);

    // The STT server got exactly the bytes Telegram served.
    expect(heard.length).toBe(heardBefore + 1);
    expect(heard.at(-1)!.data.equals(VOICE_NOTE)).toBe(true);
    const [text, voice] = sent;
    expect(text).toMatchObject({ method: 'sendMessage', parseMode: 'HTML' });
    expect(text!.text).toContain('#91 add 2 3');
    expect(text!.text).toContain('2 + 3 = 5');
    expect(voice!.method).toBe('sendVoice');
    expect(voice!.file!.data.equals(SPOKEN)).toBe(true);
    expect(telegram.chatActions.filter((a) => a.chatId === String(alice.id)).map((a) => a.action)).toEqual(
      expect.arrayContaining(['typing', 'record_voice']),
    );

    const [row] = await app.db.dataSource.query<
      { input_kind: string; channel: string; transcription_ms: number | null; response_text: string }[]
    >(`SELECT input_kind, channel, transcription_ms, response_text FROM voice_interactions
       WHERE input_kind = 'voice' ORDER BY created_at DESC LIMIT 1`);
    expect(row).toMatchObject({ input_kind: 'voice', channel: 'telegram' });
    expect(row!.transcription_ms).not.toBeNull();
    expect(row!.response_text).toContain('5');
  });

  it('refuses an update with a wrong or missing secret token, and runs nothing', async () => {
    const bob = telegram.user(222, 'Bob');
    const chat = telegram.privateChat(bob);
    await app.pair('telegram', String(bob.id));
    const sneaky = telegram.textUpdate(bob, chat, '#91 add 40 2');
    expect((await post(sneaky, 'not-the-secret')).status).toBe(401);
    expect((await post(sneaky, null)).status).toBe(401);
    expect((await post(sneaky, `${SECRET}x`)).status).toBe(401);

    // A genuine update afterwards is the only thing Bob ever gets an answer to.
    const [answer] = await exchange(telegram.textUpdate(bob, chat, '#91 add 1 2'), bob.id);
    expect(answer!.text).toContain('1 + 2 = 3');
    expect(telegram.sentTo(bob.id)).toHaveLength(1);
  });

  it('answers an update delivered twice once', async () => {
    const update = telegram.textUpdate(alice, aliceChat, '#91 add 10 11');
    const before = telegram.sentTo(alice.id).length;
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    await exchange(telegram.textUpdate(alice, aliceChat, '#91 add 100 1'), alice.id, 2);
    const texts = telegram
      .sentTo(alice.id)
      .slice(before)
      .map((m) => m.text);
    expect(texts.filter((t) => t?.includes('10 + 11 = 21'))).toHaveLength(1);
    expect(texts.filter((t) => t?.includes('100 + 1 = 101'))).toHaveLength(1);
  });

  it('waits out a 429 with retry_after and still delivers the answer', async () => {
    telegram.rateLimitOnce('sendMessage', 1);
    const callsBefore = telegram.calls('sendMessage').length;
    const [answer] = await exchange(telegram.textUpdate(alice, aliceChat, '#91 add 20 22'), alice.id);
    expect(answer!.text).toContain('20 + 22 = 42');
    // Refused once with 429, then sent again.
    expect(telegram.calls('sendMessage').length).toBe(callsBefore + 2);
  });

  it('gives an unknown person a pairing code, and serves them once it is approved', async () => {
    const carol = telegram.user(333, 'Carol');
    const chat = telegram.privateChat(carol);
    const [welcome, pairing] = await exchange(telegram.textUpdate(carol, chat, '/start'), carol.id, 2);
    expect(welcome!.text).toContain('paios');
    expect(welcome!.text).toContain('pairing code');
    const code = /<b>([A-Z0-9]{4}-[A-Z0-9]{4})<\/b>/.exec(pairing!.text ?? '')?.[1];
    expect(code).toBeDefined();

    // Nothing runs before approval: another message only repeats the code.
    const [again] = await exchange(telegram.textUpdate(carol, chat, '#91 add 5 5'), carol.id);
    expect(again!.text).toContain(code);
    expect(again!.text).not.toContain('10');

    // As `paios users approve CODE` would (PairingService.approve fails on UPDATE ... RETURNING: see the report).
    await app.pair('telegram', String(carol.id));
    const [served] = await exchange(telegram.textUpdate(carol, chat, '#91 add 5 6'), carol.id);
    expect(served!.text).toContain('5 + 6 = 11');
  });

  it('sends a PNG as a photo, other files as documents, and buttons whose press runs their command', async () => {
    await adapter.send(
      { platform: 'telegram', workspace: '', channel: String(alice.id) },
      {
        text: '**Monthly chart** for _ACME_ <draft> & more',
        attachments: [
          { filename: 'chart.png', mimeType: 'image/png', data: PNG.toString('base64') },
          { filename: 'report.pdf', mimeType: 'application/pdf', data: Buffer.from('%PDF-1.4 x').toString('base64') },
        ],
        buttons: [{ label: 'Add them up', value: '#91 add 30 3', style: 'primary' }],
      },
    );
    const sent = telegram.sentTo(alice.id).slice(-3);
    expect(sent.map((m) => m.method)).toEqual(['sendMessage', 'sendPhoto', 'sendDocument']);
    expect(sent[0]!.text).toBe('<b>Monthly chart</b> for <i>ACME</i> &lt;draft&gt; &amp; more');
    expect(sent[1]!.file!.data.equals(PNG)).toBe(true);
    expect(sent[2]!.file!.filename).toBe('report.pdf');

    const button = sent[0]!.replyMarkup!.inline_keyboard[0]![0]!;
    expect(button).toMatchObject({ text: 'Add them up', style: 'primary' });
    const data = (button as { callback_data: string }).callback_data;
    // callback_data holds a short id; the command itself waits in Redis.
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(data).not.toContain('add');

    const press = telegram.callbackUpdate(alice, sent[0]!, data);
    const [answer] = await exchange(press, alice.id);
    expect(answer!.text).toContain('30 + 3 = 33');
    expect(telegram.answeredCallbacks).toContain(press.callback_query!.id);
  });

  it('splits an answer longer than 4096 characters', async () => {
    const paragraph = 'Revenue grew in every region & every quarter. '.repeat(20).trim();
    const long = Array.from({ length: 12 }, () => paragraph).join('\n\n');
    const before = telegram.sentTo(alice.id).length;
    await adapter.send({ platform: 'telegram', workspace: '', channel: String(alice.id) }, { text: long });
    const parts = telegram.sentTo(alice.id).slice(before);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text!.length).toBeLessThanOrEqual(4096);
    expect(parts.map((p) => p.text).join('\n\n')).toBe(long.replace(/&/g, '&amp;'));
  });

  it('tells the user when a voice note cannot be transcribed, and "retry voice note" later succeeds', async () => {
    transcribeFails = true;
    const file = telegram.addFile(VOICE_NOTE, 'voice/file_9.oga');
    const [failure] = await exchange(telegram.voiceUpdate(alice, aliceChat, file, 2), alice.id);
    expect(failure!.text).toContain('could not transcribe');
    expect(failure!.text).toContain('retry voice note');

    transcribeFails = false;
    const heardBefore = heard.length;
    const [answer] = await exchange(telegram.textUpdate(alice, aliceChat, 'retry voice note'), alice.id, 2);
    expect(answer!.text).toContain('2 + 3 = 5');
    expect(heard.at(-1)!.data.equals(VOICE_NOTE)).toBe(true);
    expect(heard.length).toBe(heardBefore + 1);
  });

  it('in a forum group answers mentions and commands in their topic, ignores other chatter', async () => {
    const group = telegram.supergroup(-1001234, 'Team', true);
    const topic = { message_thread_id: 77, is_topic_message: true };
    // Not addressed to the bot: ignored (the later exchange proves it was never answered).
    expect((await post(telegram.textUpdate(alice, group, '#91 add 7 7', topic))).status).toBe(200);
    const mention = telegram.textUpdate(alice, group, '@paios_test_bot #91 add 8 8', {
      ...topic,
      entities: [{ type: 'mention', offset: 0, length: 15 }],
    });
    const [answer] = await exchange(mention, group.id);
    expect(answer).toMatchObject({ threadId: 77, replyTo: mention.message!.message_id });
    expect(answer!.text).toContain('8 + 8 = 16');

    const [byCommand] = await exchange(
      telegram.textUpdate(alice, group, '/calculator@paios_test_bot add 9 9', topic),
      group.id,
    );
    expect(byCommand!.text).toContain('9 + 9 = 18');
    expect(
      telegram
        .sentTo(group.id)
        .map((m) => m.text)
        .join('\n'),
    ).not.toContain('7 + 7');
  });

  it('sends the pairing code of an unknown person in a group to their private chat', async () => {
    const dave = telegram.user(444, 'Dave');
    const group = telegram.supergroup(-1005678, 'Ops');
    const update = telegram.textUpdate(dave, group, '/paios add 1 1');
    const [dm] = await exchange(update, dave.id);
    expect(dm!.text).toMatch(/pairing code is <b>[A-Z0-9]{4}-[A-Z0-9]{4}<\/b>/);
    expect(telegram.sentTo(group.id)).toHaveLength(0);

    // Someone who never opened a chat with the bot is told in the group how to get it.
    const erin = telegram.user(555, 'Erin');
    telegram.unreachableChats.add(String(erin.id));
    const [notice] = await exchange(telegram.textUpdate(erin, group, '/paios hello'), group.id);
    expect(notice!.text).toContain('Open a private chat with me (@paios_test_bot)');
    expect(notice!.text).not.toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
  });
});

run('Telegram adapter (long polling, two processes)', () => {
  const telegram = new TelegramFake('987654321:AApolling-token_test');
  const dir = tempDir('paios-telegram-poll-');
  const apps: { app: ChatApp; adapter: TelegramAdapter }[] = [];

  beforeAll(async () => {
    await telegram.start();
    const env = {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      REDIS_URL: REDIS_TEST_URL,
      REDIS_PREFIX: `paios-tgpoll-${process.pid}-${Date.now()}`,
      PAIOS_DATA_DIR: dir.path,
    };
    apps.push(await startTelegramApp(env), await startTelegramApp(env));
  });

  afterAll(async () => {
    for (const a of apps) await a.app.close();
    await telegram.stop();
    dir.remove();
  });

  it('polls getUpdates from one process only and answers what it takes', async () => {
    await waitFor(() => apps.some((a) => a.adapter.status().modes.includes('polling')), 30_000);
    expect(apps.filter((a) => a.adapter.status().modes.includes('polling'))).toHaveLength(1);

    const frank = telegram.user(666, 'Frank');
    for (const a of apps) await a.app.pair('telegram', String(frank.id));
    telegram.queueUpdate(telegram.textUpdate(frank, telegram.privateChat(frank), '#91 add 3 4'));
    await waitFor(() => telegram.sentTo(frank.id).length > 0, 30_000);
    expect(telegram.sentTo(frank.id)[0]!.text).toContain('3 + 4 = 7');
    // Nobody's getUpdates was cut off by another's (Telegram's 409 Conflict): one poller at a time.
    expect(telegram.calls('getUpdates').length).toBeGreaterThan(1);
    expect(telegram.conflicts).toBe(0);
  });

  it('lets the other process take over when the poller stops', async () => {
    const holder = apps.findIndex((a) => a.adapter.status().modes.includes('polling'));
    const [stopped] = apps.splice(holder, 1);
    await stopped!.app.close();
    const other = apps[0]!;
    await waitFor(() => other.adapter.status().modes.includes('polling'), 20_000, 100);

    const gina = telegram.user(777, 'Gina');
    await other.app.pair('telegram', String(gina.id));
    telegram.queueUpdate(telegram.textUpdate(gina, telegram.privateChat(gina), '#91 add 6 6'));
    await waitFor(() => telegram.sentTo(gina.id).length > 0, 30_000);
    expect(telegram.sentTo(gina.id)[0]!.text).toContain('6 + 6 = 12');
  }, 40_000);
});

describe('Telegram adapter (Telegram unreachable)', () => {
  const token = '555555555:AAunreachable-token_value';
  let started: { app: ChatApp; adapter: TelegramAdapter } | undefined;

  afterAll(async () => {
    await started?.app.close();
  });

  it('keeps paios running, reports retrying, and never shows the token', async () => {
    const env = { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: 'http://127.0.0.1:9' };
    const app = await startChatApp({ env, modules: [TelegramModule.forRoot(testConfig(env), 'server')] });
    started = { app, adapter: app.app.get(TelegramAdapter) };
    await waitFor(() => started!.adapter.status().state === 'retrying', 30_000);
    const status = started.adapter.status();
    expect(status.lastError).toBeDefined();
    expect(status.lastError).not.toContain(token);
    expect(status.modes).toEqual([]);

    const failure = await started.adapter
      .send({ platform: 'telegram', workspace: '', channel: '1' }, { text: 'digest' })
      .catch((err: unknown) => err as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).not.toContain(token);
  });
});
