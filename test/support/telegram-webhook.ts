import type { Update } from '@grammyjs/types';
import type { SentMessage, TelegramFake } from '../fakes/telegram.fake.js';
import { waitFor } from './wait.js';

/**
 * Posts `update` to paios's Telegram webhook as Telegram would (with the secret token), fails unless
 * it is taken with 200, then waits until the bot has sent `until` more messages to `chatId` (or until
 * what it sent since satisfies `until`) and returns them.
 */
export async function deliverUpdate(
  telegram: TelegramFake,
  webhook: { url: string; secret: string },
  update: Update,
  chatId: number,
  until: number | ((sent: SentMessage[]) => boolean) = 1,
): Promise<SentMessage[]> {
  const done = typeof until === 'number' ? (sent: SentMessage[]) => sent.length >= until : until;
  const before = telegram.sentTo(chatId).length;
  const res = await fetch(`${webhook.url}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhook.secret },
    body: JSON.stringify(update),
  });
  if (res.status !== 200) throw new Error(`the webhook answered ${res.status}, expected 200: ${await res.text()}`);
  await waitFor(() => done(telegram.sentTo(chatId).slice(before)), 60_000);
  return telegram.sentTo(chatId).slice(before);
}
