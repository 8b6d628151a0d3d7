import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { ArchitectureView } from '../../agents/system-architecture/architecture.model.js';
import { ArchitectureService } from '../../agents/system-architecture/architecture.service.js';
import { DomainError, ErrorCode } from '../../common/errors.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';

const querySchema = z
  .object({
    format: z
      .enum(['json', 'mermaid', 'svg', 'png'], { message: 'format is json, mermaid, svg or png' })
      .default('json'),
    view: z.enum(['system', 'agent', 'workflows'], { message: 'view is system, agent or workflows' }).default('system'),
    agent: z.coerce.number({ message: 'agent is an agent number' }).int().positive().optional(),
  })
  .refine((q) => q.view !== 'agent' || q.agent !== undefined, 'view=agent needs agent=<number>');
type ArchitectureQuery = z.infer<typeof querySchema>;

const TYPES = { mermaid: 'text/vnd.mermaid; charset=utf-8', svg: 'image/svg+xml', png: 'image/png' } as const;

/** The live system as agent #31 sees it: the model as JSON, or drawn. */
@ApiTags('system')
@ApiBearerAuth()
@Controller('system/architecture')
export class ArchitectureController {
  constructor(private readonly architecture: ArchitectureService) {}

  @Get()
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'mermaid', 'svg', 'png'] })
  @ApiQuery({ name: 'view', required: false, enum: ['system', 'agent', 'workflows'] })
  @ApiQuery({ name: 'agent', required: false, type: Number })
  @ApiProduces('application/json', TYPES.mermaid, TYPES.svg, TYPES.png)
  @ApiOkResponse({
    description: 'agents (number, version, state, in flight), workflows, chat adapters, infrastructure',
  })
  async get(
    @CurrentUser() user: AuthUser,
    @Query(new ZodValidationPipe(querySchema)) q: ArchitectureQuery,
    @Res() res: Response,
  ): Promise<void> {
    if (q.format === 'json') {
      res.json(await this.architecture.model(user.id));
      return;
    }
    const view: ArchitectureView =
      q.view === 'agent'
        ? { kind: 'agent', agent: q.agent! }
        : { kind: q.view === 'workflows' ? 'workflows' : 'system' };
    const drawing = await this.architecture.draw(view, q.format, user.id);
    if (q.format !== 'mermaid' && !drawing.data)
      throw new DomainError(ErrorCode.Unavailable, drawing.error ?? 'the diagram could not be drawn', {
        mermaid: drawing.mermaid,
      });
    res
      .type(TYPES[q.format])
      .setHeader('cache-control', 'no-store')
      .send(q.format === 'mermaid' ? drawing.mermaid : drawing.data);
  }
}
