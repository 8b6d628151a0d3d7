import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Update } from '@grammyjs/types';
import { PDFParse } from 'pdf-parse';
import { ResearchModule } from '../../src/agents/research/research.module.js';
import { WebScrapingModule } from '../../src/agents/web-scraping/web-scraping.module.js';
import { TelegramAdapter } from '../../src/adapters/telegram/telegram.adapter.js';
import { TelegramModule } from '../../src/adapters/telegram/telegram.module.js';
import type { HttpFake, RecordedFile } from '../fakes/http-fake.js';
import { openAiAudioFake } from '../fakes/openai.fake.js';
import { searxngFake } from '../fakes/search.fake.js';
import { TelegramFake, type SentMessage } from '../fakes/telegram.fake.js';
import { webFake } from '../fakes/web.fake.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';
import { testConfig } from '../support/config.js';
import { REDIS_TEST_URL, redisAvailable, tempDir } from '../support/services.js';
import { spokenNote } from '../support/spoken.js';
import { waitFor } from '../support/wait.js';
import { deliverUpdate } from '../support/telegram-webhook.js';

const SECRET = 'research-hook-secret_0123456789';
const run = (await redisAvailable()) ? describe : describe.skip;

const ASKED = 'research the best note taking app for working offline';

run('asking for research in a Telegram chat (fakes for Telegram, SearXNG, the web and speech-to-text)', () => {
  const telegram = new TelegramFake();
  // The speech server hears what the note says (espeak-ng spoke it); the bytes it got are kept.
  const heard: RecordedFile[] = [];
  const speech = openAiAudioFake({ transcribe: (file) => (heard.push(file), ASKED) });
  const dir = tempDir('paios-research-chat-');
  let web: HttpFake;
  let searx: HttpFake;
  let app: ChatApp;
  const alice = telegram.user(4242, 'Alice', 'alice');
  const chat = telegram.privateChat(alice);

  async function exchange(
    update: Update,
    until: number | ((sent: SentMessage[]) => boolean) = 1,
  ): Promise<SentMessage[]> {
    return deliverUpdate(telegram, { url: app.url, secret: SECRET }, update, alice.id, until);
  }
  /** How many progress notes come before the answer depends on how fast the pages are read. */
  const progressThenAnswer = (sent: SentMessage[], answered: RegExp) => {
    const texts = sent.filter((m) => m.method === 'sendMessage');
    const at = texts.findIndex((m) => answered.test(m.text ?? ''));
    expect(at).toBeGreaterThan(0);
    for (const note of texts.slice(0, at)) expect(note.text).toMatch(/^<i>.*<\/i>$/s);
    return { progress: texts.slice(0, at), answer: texts[at]! };
  };

  beforeAll(async () => {
    await telegram.start();
    await speech.start();
    web = await webFake().start();
    searx = await searxngFake(() => web.url).start();
    const env = {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      REDIS_URL: REDIS_TEST_URL,
      REDIS_PREFIX: `paios-research-${process.pid}-${Date.now()}`,
      PAIOS_DATA_DIR: dir.path,
      SEARXNG_URL: searx.url,
      PAIOS_ALLOW_HOSTS: '127.0.0.1',
      STT_BASE_URL: `${speech.url}/v1`,
      TTS_PROVIDER: 'none',
    };
    app = await startChatApp({
      env,
      modules: [TelegramModule.forRoot(testConfig(env), 'server'), ResearchModule, WebScrapingModule],
    });
    await waitFor(() => app.app.get(TelegramAdapter).status().state === 'ready');
    await app.pair('telegram', String(alice.id));
  });
  afterAll(async () => {
    await app?.close();
    await telegram.stop();
    await searx?.stop();
    await web?.stop();
    await speech.stop();
    dir.remove();
  });

  it('says it is searching, then answers with quotes cited to the pages read, then the report as files', async () => {
    const sent = await exchange(
      telegram.textUpdate(alice, chat, 'research the best CRM for freelancers and write a pdf report'),
      (s) => s.some((m) => m.file?.filename.endsWith('.pdf')) && s.some((m) => m.file?.filename.endsWith('.md')),
    );
    // Progress first, while the pages are read; the answer after it.
    const { progress, answer } = progressThenAnswer(sent, /HubSpot CRM is free for up to two users/);
    expect(progress[0]!.text).toContain('Searching the web for "the best CRM for freelancers"');
    expect(answer.text).toMatch(/\[\d\]/);
    expect(answer.text).toContain(`${web.url}/crm-freelancers`);
    const pdf = sent.find((m) => m.file?.filename.endsWith('.pdf'));
    expect(pdf).toBeDefined();
    const { text } = await new PDFParse({ data: pdf!.file!.data }).getText();
    expect(text).toContain('HubSpot CRM is free for up to two users');
    expect(sent.some((m) => m.file?.filename.endsWith('.md'))).toBe(true);

    // Later, in the same chat: what it found is recalled with its sources.
    const [recalled] = await exchange(telegram.textUpdate(alice, chat, 'what did you find about CRMs last week'));
    expect(recalled!.text).toContain('the best CRM for freelancers');
    expect(recalled!.text).toContain(`${web.url}/crm-freelancers`);
  });

  it('answers a voice note asking for research, with citations of the pages it read', async () => {
    const note = spokenNote(ASKED);
    const file = telegram.addFile(note, 'voice/research_1.oga');
    const sent = await exchange(telegram.voiceUpdate(alice, chat, file, 3), (s) =>
      s.some((m) => /Obsidian[^\n]*\[\d\]/.test(m.text ?? '')),
    );
    expect(heard.at(-1)!.data.equals(note)).toBe(true);
    const { progress, answer } = progressThenAnswer(sent, /Obsidian[^\n]*\[\d\]/);
    expect(progress[0]!.text).toContain('Searching the web for "the best note taking app for working offline"');
    expect(answer.text).toContain(`${web.url}/obsidian`);
  });
});
