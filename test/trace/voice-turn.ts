import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TelegramModule } from '../../src/adapters/telegram/telegram.module.js';
import { TelegramAdapter } from '../../src/adapters/telegram/telegram.adapter.js';
import { openAiAudioFake } from '../fakes/openai.fake.js';
import { TelegramFake } from '../fakes/telegram.fake.js';
import { startChatApp } from '../support/chat-app.js';
import { testConfig } from '../support/config.js';
import { REDIS_TEST_URL, tempDir } from '../support/services.js';
import { deliverUpdate } from '../support/telegram-webhook.js';
import { waitFor } from '../support/wait.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/audio');
const SECRET = 'hook-secret_trace_turn_01';

/**
 * Paios' chat side with Telegram in webhook mode, as in test/integration/telegram-adapter.test.ts,
 * answering voice notes ("#91 add 1 3", "#91 add 2 3" as the speech fake hears them, spoken back by the TTS fake).
 * `around` is called for the warm-up turn and for the traced one, with the turn to run.
 */
export async function runVoiceTurns(
  around: (phase: 'warm-up' | 'traced', turn: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const telegram = new TelegramFake();
  // Other numbers each time, so the tool runs each time (its results are cached).
  let notes = 0;
  const audio = openAiAudioFake({
    transcribe: () => `#91 add ${++notes} 3`,
    speak: () => readFileSync(join(FIXTURES, 'five.ogg')),
  });
  const dir = tempDir('paios-trace-');
  await telegram.start();
  await audio.start();
  const env = {
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    STT_BASE_URL: `${audio.url}/v1`,
    TTS_BASE_URL: `${audio.url}/v1`,
    REDIS_URL: REDIS_TEST_URL,
    REDIS_PREFIX: `paios-trace-${process.pid}-${Date.now()}`,
    PAIOS_DATA_DIR: dir.path,
  };
  const app = await startChatApp({ env, modules: [TelegramModule.forRoot(testConfig(env), 'server')] });
  try {
    await waitFor(() => app.app.get(TelegramAdapter).status().state === 'ready');
    const alice = telegram.user(411, 'Alice', 'alice');
    const chat = telegram.privateChat(alice);
    await app.pair('telegram', String(alice.id));
    const note = readFileSync(join(FIXTURES, 'add-two-and-three.ogg'));
    for (const phase of ['warm-up', 'traced'] as const) {
      const file = telegram.addFile(note, `voice/trace_${phase}.oga`);
      await around(phase, async () => {
        // The text answer and the spoken one.
        const sent = await deliverUpdate(
          telegram,
          { url: app.url, secret: SECRET },
          telegram.voiceUpdate(alice, chat, file, 2),
          alice.id,
          2,
        );
        if (!sent[0]?.text?.includes(`${notes} + 3 = ${notes + 3}`))
          throw new Error(`unexpected answer: ${JSON.stringify(sent[0]?.text)}`);
      });
    }
  } finally {
    await app.close();
    await telegram.stop();
    await audio.stop();
    dir.remove();
  }
}
