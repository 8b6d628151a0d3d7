import { BadRequestException, Body, Controller, Headers, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Update } from 'grammy/types';
import { Webhook } from '../../common/webhook.decorator.js';
import { TelegramAdapter } from './telegram.adapter.js';
import { secretMatches } from './telegram.signature.js';

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
