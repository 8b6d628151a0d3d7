import { createHash, timingSafeEqual } from 'node:crypto';
import { BadRequestException, Body, Controller, Headers, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Update } from 'grammy/types';
import { Webhook } from '../../common/webhook.decorator.js';
import { TelegramAdapter } from './telegram.adapter.js';

/**
 * POST /telegram/webhook: Telegram delivers updates here once setWebhook was called with the same
 * secret_token. A request without the matching X-Telegram-Bot-Api-Secret-Token header is refused
 * before anything runs; a genuine update is answered 200 at once and handled in the background.
 */
@ApiExcludeController()
@Webhook()
@Controller('telegram')
export class TelegramWebhookController {
  constructor(private readonly adapter: TelegramAdapter) {}

  @Post('webhook')
  @HttpCode(200)
  receive(
    @Headers('x-telegram-bot-api-secret-token') token: string | undefined,
    @Body() body: unknown,
  ): Record<string, never> {
    const secret = this.adapter.webhookSecret;
    if (!secret || !secretMatches(token, secret)) throw new UnauthorizedException('wrong or missing secret token');
    const update = body as Partial<Update> | undefined;
    if (!update || typeof update !== 'object' || typeof update.update_id !== 'number')
      throw new BadRequestException('expected a Telegram Update with a numeric update_id');
    this.adapter.acceptUpdate(update as Update);
    return {};
  }
}

/**
 * Telegram signs nothing: a webhook is genuine when its X-Telegram-Bot-Api-Secret-Token header holds
 * the secret given to setWebhook. Compares hashes, so neither the content nor the length of the
 * secret leaks through timing. Pure, and timeless: Telegram stamps no request.
 */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined || !expected) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
