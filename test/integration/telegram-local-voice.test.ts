import type { InlineKeyboardButton, Update } from '@grammyjs/types';
import { TelegramAdapter } from '../../src/adapters/telegram/telegram.adapter.js';
import { TelegramModule } from '../../src/adapters/telegram/telegram.module.js';
import { TelegramFake, type SentMessage } from '../fakes/telegram.fake.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';
import { testConfig } from '../support/config.js';
import { REDIS_TEST_URL, redisAvailable, tempDir } from '../support/services.js';
import { spokenNote } from '../support/spoken.js';
import { waitFor } from '../support/wait.js';
import { deliverUpdate } from '../support/telegram-webhook.js';

const SECRET = 'hook-secret_local_voice_01';
const run = (await redisAvailable()) ? describe : describe.skip;

/**
 * A Telegram voice note with no speech service configured at all: paios hears it on this machine
 * (pocketsphinx with the grammar of its agents' tools) and answers, end to end in one process.
 */
run('Telegram voice notes heard offline (no speech service configured)', () => {
  const telegram = new TelegramFake();
  const dir = tempDir('paios-tg-local-');
  let app: ChatApp;
  const alice = telegram.user(311, 'Alice', 'alice');
  const chat = telegram.privateChat(alice);

  async function exchange(update: Update, count = 1): Promise<SentMessage[]> {
    return deliverUpdate(telegram, { url: app.url, secret: SECRET }, update, alice.id, count);
  }

  beforeAll(async () => {
    await telegram.start();
    // Nothing about speech: no STT_*, no OPENAI_API_KEY. Local speech-to-text is the default.
    const env = {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      REDIS_URL: REDIS_TEST_URL,
      REDIS_PREFIX: `paios-tg-local-${process.pid}-${Date.now()}`,
      PAIOS_DATA_DIR: dir.path,
    };
    app = await startChatApp({ env, modules: [TelegramModule.forRoot(testConfig(env), 'server')] });
    await waitFor(() => app.app.get(TelegramAdapter).status().state === 'ready');
    await app.pair('telegram', String(alice.id));
  });

  afterAll(async () => {
    await app?.close();
    await telegram.stop();
    dir.remove();
  });

  it('answers a spoken command and keeps the note with its transcription time', async () => {
    const file = telegram.addFile(spokenNote('add two and three'), 'voice/local_1.oga');
    const [reply] = await exchange(telegram.voiceUpdate(alice, chat, file, 2));
    expect(reply!.text).toContain('2 + 3 = 5');

    const [row] = await app.db.dataSource.query<
      { command_text: string; input_kind: string; audio_path: string | null; transcription_ms: number | null }[]
    >(`SELECT command_text, input_kind, audio_path, transcription_ms FROM voice_interactions
       WHERE input_kind = 'voice' ORDER BY created_at DESC LIMIT 1`);
    expect(row).toMatchObject({ command_text: 'add 2 and 3', input_kind: 'voice' });
    expect(row!.audio_path).not.toBeNull();
    expect(row!.transcription_ms).not.toBeNull();
  });

  it('asks "did you mean ...?" about speech it is unsure of, runs nothing, and runs it on Yes', async () => {
    const file = telegram.addFile(
      spokenNote('please order a large pizza with extra cheese tonight'),
      'voice/local_2.oga',
    );
    const [question] = await exchange(telegram.voiceUpdate(alice, chat, file, 3));
    expect(question!.text).toMatch(/Did you mean "(.+)"\?/);
    const heard = /Did you mean "(.+)"\?/.exec(question!.text!)![1]!;
    const yes = question!.replyMarkup!.inline_keyboard.flat()[0] as InlineKeyboardButton.CallbackButton;
    expect(yes.text).toBe('Yes');

    const [counted] = await app.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM voice_interactions WHERE command_text = $1 AND execution_status = 'clarify'`,
      [heard],
    );
    expect(counted?.n).toBe(1);

    const [answer] = await exchange(telegram.callbackUpdate(alice, question!, yes.callback_data));
    expect(answer!.text).not.toMatch(/Did you mean/);
    // The press sent the heard words on as the request: it went through the router this time.
    const rows = await app.db.dataSource.query<{ response_text: string }[]>(
      `SELECT response_text FROM voice_interactions WHERE command_text = $1 ORDER BY created_at`,
      [heard],
    );
    expect(rows).toHaveLength(2);
    expect(rows[1]!.response_text).toBe(answer!.text);
  });
});
