import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { WorkflowsService } from '../../orchestrator/workflows/workflows.service.js';
import type { WorkflowView } from '../../orchestrator/workflows/workflow.view.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';
import { errorSchema, openApiSchema } from '../common/openapi.js';
import { DeleteById, IdParam } from '../common/route.decorators.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import {
  workflowViewSchema,
  createWorkflowSchema,
  updateWorkflowSchema,
  type CreateWorkflowInput,
  type UpdateWorkflowInput,
} from './workflow.schemas.js';

const workflow = openApiSchema(workflowViewSchema);

/** The seed's workflow management endpoints: an event of one agent triggers an action of another. */
@ApiTags('workflows')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'missing, invalid or expired token', schema: errorSchema })
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Get()
  @ApiOkResponse({ description: 'your workflows, oldest first', schema: { type: 'array', items: workflow } })
  list(@CurrentUser() user: AuthUser): Promise<WorkflowView[]> {
    return this.workflows.list(user.id);
  }

  @Post()
  @ApiBody({ schema: openApiSchema(createWorkflowSchema) })
  @ApiCreatedResponse({ schema: workflow })
  @ApiBadRequestResponse({ description: 'invalid body, or agents that are not yours', schema: errorSchema })
  create(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(createWorkflowSchema)) body: CreateWorkflowInput,
  ): Promise<WorkflowView> {
    return this.workflows.create(user.id, body);
  }

  @Get(':id')
  @ApiOkResponse({ schema: workflow })
  @ApiNotFoundResponse({ schema: errorSchema })
  get(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<WorkflowView> {
    return this.workflows.get(user.id, id);
  }

  @Put(':id')
  @ApiBody({ schema: openApiSchema(updateWorkflowSchema), description: 'the fields to change' })
  @ApiOkResponse({ schema: workflow })
  @ApiNotFoundResponse({ schema: errorSchema })
  update(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @Body(new ZodValidationPipe(updateWorkflowSchema)) body: UpdateWorkflowInput,
  ): Promise<WorkflowView> {
    return this.workflows.update(user.id, id, body);
  }

  @DeleteById()
  async delete(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<void> {
    await this.workflows.delete(user.id, id);
  }
}
