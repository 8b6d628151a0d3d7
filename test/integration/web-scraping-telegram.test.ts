import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Update } from '@grammyjs/types';
import { TelegramModule } from '../../src/adapters/telegram/telegram.module.js';
import { WebScrapingModule } from '../../src/agents/web-scraping/web-scraping.module.js';
import { JobQueue } from '../../src/orchestrator/jobs/job-queue.port.js';
import { TelegramFake, type SentMessage } from '../fakes/telegram.fake.js';
import { WebFake } from '../fakes/site.fake.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';
import { testConfig } from '../support/config.js';
import { REDIS_TEST_URL, redisAvailable } from '../support/services.js';
import { waitFor } from '../support/wait.js';
import { deliverUpdate } from '../support/telegram-webhook.js';

const SECRET = 'hook-secret_scraping_0123';
const run = (await redisAvailable()) ? describe : describe.skip;

run('agent #7 from Telegram: scrape, a robots.txt refusal, a watch that reports a change', () => {
  const telegram = new TelegramFake();
  const web = new WebFake();
  let app: ChatApp;
  const alice = telegram.user(171, 'Alice', 'alice');
  const dm = telegram.privateChat(alice);
  const group = telegram.supergroup(-1007007, 'Pricing team');

  async function exchange(update: Update, chatId: number): Promise<SentMessage> {
    return (await deliverUpdate(telegram, { url: app.url, secret: SECRET }, update, chatId))[0]!;
  }

  beforeAll(async () => {
    await telegram.start();
    await web.start();
    const env = {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      REDIS_URL: REDIS_TEST_URL,
      REDIS_PREFIX: `paios-scrape-${process.pid}-${Date.now()}`,
      PAIOS_ALLOW_HOSTS: 'localhost',
    };
    app = await startChatApp({
      env,
      modules: [TelegramModule.forRoot(testConfig(env), 'server'), WebScrapingModule],
    });
    await app.pair('telegram', String(alice.id));
  });
  afterAll(async () => {
    await app?.close();
    await telegram.stop();
    await web.stop();
  });

  it('answers "scrape <url>" with the article, and refuses a path robots.txt disallows', async () => {
    const page = await exchange(telegram.textUpdate(alice, dm, `scrape ${web.base}/articles/first`), alice.id);
    expect(page.text).toContain('<b>Why foxes jump</b>');
    expect(page.text).toContain('Paragraph 1 about foxes');

    const refused = await exchange(telegram.textUpdate(alice, dm, `scrape ${web.base}/private/secret`), alice.id);
    expect(refused.text).toContain('robots.txt does not allow fetching /private/secret (rule "Disallow: /private")');
    expect(web.hits('/private/secret')).toBe(0);
  });

  it('tells the group that asked to watch a page when its price changes', async () => {
    web.price = '€10 per month';
    const text = `@paios_test_bot watch ${web.base}/pricing every hour and tell me when the price changes`;
    const ack = await exchange(
      telegram.textUpdate(alice, group, text, { entities: [{ type: 'mention', offset: 0, length: 15 }] }),
      group.id,
    );
    expect(ack.text).toContain('every hour; I will tell you here when it changes.');
    const [watch] = await app.db.dataSource.query<{ id: string }[]>(`SELECT id FROM page_watches`);

    web.price = '€12 per month';
    const before = telegram.sentTo(group.id).length;
    // What the hourly schedule runs.
    await app.app.get(JobQueue).enqueue('scraping.watch', { watchId: watch!.id });
    await waitFor(() => telegram.sentTo(group.id).length > before);
    const told = telegram.sentTo(group.id)[before]!.text!;
    expect(told).toContain('Pricing changed');
    expect(told).toContain('- €10 per month\n+ €12 per month');
    // Told in the group, not in Alice's private chat.
    expect(
      telegram
        .sentTo(alice.id)
        .map((m) => m.text)
        .join('\n'),
    ).not.toContain('€12');
  });
});
