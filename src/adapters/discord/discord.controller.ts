import { Controller, HttpCode, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { APIInteraction } from 'discord-api-types/v10';
import type { Request, Response } from 'express';
import { Clock } from '../../common/clock.js';
import { Webhook } from '../../common/webhook.decorator.js';
import { DiscordAdapter } from './discord.adapter.js';
import { verifyDiscordSignature } from './discord.signature.js';

/**
 * `POST /discord/interactions` (the application's Interactions Endpoint URL): Ed25519-checked
 * against DISCORD_PUBLIC_KEY on the exact bytes, within five minutes of the injected clock, answered
 * within Discord's 3 s (deferred when work follows).
 */
@ApiExcludeController()
@Webhook()
@Controller('discord')
export class DiscordInteractionsController {
  constructor(
    private readonly discord: DiscordAdapter,
    private readonly clock: Clock,
  ) {}

  @Post('interactions')
  @HttpCode(200)
  async interactions(@Req() req: RawBodyRequest<Request>, @Res() res: Response): Promise<void> {
    const key = this.discord.publicKey;
    if (!key) {
      res.status(404).json({ error: 'set DISCORD_PUBLIC_KEY to receive interactions over HTTP' });
      return;
    }
    const raw = req.rawBody ?? Buffer.alloc(0);
    const refused = verifyDiscordSignature({
      publicKey: key,
      body: raw,
      signature: req.header('x-signature-ed25519'),
      timestamp: req.header('x-signature-timestamp'),
      nowMs: this.clock.now().getTime(),
    });
    if (refused) {
      res.status(401).json({ error: 'invalid request signature' });
      return;
    }
    res.json(await this.discord.onInteraction(JSON.parse(raw.toString('utf8')) as APIInteraction));
  }
}
