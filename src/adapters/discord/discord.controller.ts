import { Controller, HttpCode, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { APIInteraction } from 'discord-api-types/v10';
import { verifyKey } from 'discord-interactions';
import type { Request, Response } from 'express';
import { Webhook } from '../../common/webhook.decorator.js';
import { DiscordAdapter } from './discord.adapter.js';

/**
 * `POST /discord/interactions` (the application's Interactions Endpoint URL): Ed25519-checked
 * against DISCORD_PUBLIC_KEY on the exact bytes, answered within Discord's 3 s (deferred when work
 * follows).
 */
@ApiExcludeController()
@Webhook()
@Controller('discord')
export class DiscordInteractionsController {
  constructor(private readonly discord: DiscordAdapter) {}

  @Post('interactions')
  @HttpCode(200)
  async interactions(@Req() req: RawBodyRequest<Request>, @Res() res: Response): Promise<void> {
    const key = this.discord.publicKey;
    if (!key) {
      res.status(404).json({ error: 'set DISCORD_PUBLIC_KEY to receive interactions over HTTP' });
      return;
    }
    const signature = req.header('x-signature-ed25519');
    const timestamp = req.header('x-signature-timestamp');
    const raw = req.rawBody;
    const valid =
      !!signature && !!timestamp && !!raw && (await verifyKey(raw, signature, timestamp, key).catch(() => false));
    if (!valid) {
      res.status(401).json({ error: 'invalid request signature' });
      return;
    }
    res.json(await this.discord.onInteraction(JSON.parse(raw.toString('utf8')) as APIInteraction));
  }
}
