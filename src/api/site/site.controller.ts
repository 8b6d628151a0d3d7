import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublishingAgent } from '../../agents/publishing/publishing.agent.js';
import { Public } from '../../common/public.decorator.js';

/**
 * The owner's published site (agent #29) at /site/: pages, tag pages, /site/feed.xml (RSS 2.0),
 * /site/atom.xml and /site/sitemap.xml, read from the static files of the last build. Public, as a
 * website is; nothing but published posts is ever in those files.
 */
@ApiExcludeController()
@Public()
@Controller('site')
export class SiteController {
  constructor(private readonly publishing: PublishingAgent) {}

  @Get()
  async index(@Res() res: Response): Promise<void> {
    await this.send('', res);
  }

  @Get('*path')
  async file(@Param('path') path: string | string[], @Res() res: Response): Promise<void> {
    await this.send(Array.isArray(path) ? path.join('/') : path, res);
  }

  private async send(path: string, res: Response): Promise<void> {
    const file = await this.publishing.siteFile(path);
    if (!file) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.status(200).type(file.type).setHeader('cache-control', 'public, max-age=60').send(file.body);
  }
}
