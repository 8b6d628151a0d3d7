import { Controller, HttpCode, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Webhook } from '../../common/webhook.decorator.js';
import { SlackAdapter } from './slack.adapter.js';

/** `POST /slack/events`: the Events API, slash commands and interactivity all come here. */
@ApiExcludeController()
@Webhook()
@Controller('slack')
export class SlackEventsController {
  constructor(private readonly slack: SlackAdapter) {}

  @Post('events')
  @HttpCode(200)
  async events(@Req() req: RawBodyRequest<Request>, @Res() res: Response): Promise<void> {
    const receiver = this.slack.receiver;
    if (!receiver) {
      res.status(404).json({ error: 'Slack is not receiving over HTTP here (Socket Mode, or not configured)' });
      return;
    }
    const result = await receiver.handle(req.rawBody ?? Buffer.alloc(0), req.headers);
    res.status(result.status);
    if (result.body === undefined) res.end();
    else if (result.contentType) res.type(result.contentType).send(result.body);
    else res.json(result.body);
  }
}
