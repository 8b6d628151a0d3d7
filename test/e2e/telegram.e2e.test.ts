import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TelegramFake } from '../fakes/telegram.fake.js';
import { startPaios, type PaiosProcess } from '../support/paios-process.js';
import { embeddedDataDir } from '../support/services.js';
import { waitFor } from '../support/wait.js';

const SECRET = 'e2e-hook-secret_42';

describe('Telegram end to end: `paios start` serves the webhook (embedded)', () => {
  const telegram = new TelegramFake();
  const dir = embeddedDataDir('paios-telegram-e2e-');
  let paios: PaiosProcess;

  const post = (update: unknown, secret?: string) =>
    fetch(`${paios.url}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: JSON.stringify(update),
    });

  beforeAll(async () => {
    await telegram.start();
    paios = await startPaios({
      PAIOS_DATA_DIR: dir.path,
      ACCESS_TOKEN_SECRET: 'telegram-e2e-secret-0123456789-0123456789',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      LOG_LEVEL: 'info',
    });
    await waitFor(() => telegram.calls('getMe').length > 0, 30_000);
  });

  afterAll(async () => {
    expect(await paios?.stop()).toBe(0);
    await telegram.stop();
    dir.remove();
  });

  it('answers an unknown person with a pairing code, without a bearer token, and refuses a wrong secret', async () => {
    const zoe = telegram.user(901, 'Zoe');
    const update = telegram.textUpdate(zoe, telegram.privateChat(zoe), 'hello paios');
    expect((await post(update, 'wrong')).status).toBe(401);
    expect((await post(update)).status).toBe(401);

    // getMe may still be on its way right after start: Telegram redelivers on 503, and so does this test.
    await waitFor(async () => (await post(update, SECRET)).status === 200, 20_000, 250);
    await waitFor(() => telegram.sentTo(zoe.id).length > 0, 30_000);
    expect(telegram.sentTo(zoe.id)[0]!.text).toMatch(/pairing code is <b>[A-Z0-9]{4}-[A-Z0-9]{4}<\/b>/);
    expect(paios.output()).not.toContain(telegram.token);
    expect(paios.output()).not.toContain(SECRET);
  });
});
