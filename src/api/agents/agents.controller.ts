import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AgentsService } from '../../orchestrator/registry/agents.service.js';
import type { AgentView } from '../../orchestrator/registry/agent.view.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';
import { errorSchema, openApiSchema } from '../common/openapi.js';
import { DeleteById, IdParam } from '../common/route.decorators.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import {
  agentViewSchema,
  createAgentSchema,
  updateAgentSchema,
  type CreateAgentInput,
  type UpdateAgentInput,
} from './agent.schemas.js';

const agent = openApiSchema(agentViewSchema);

/** The seed's agent management endpoints: a user's agent configurations. */
@ApiTags('agents')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'missing, invalid or expired token', schema: errorSchema })
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  @ApiOkResponse({ description: 'your agents, by number', schema: { type: 'array', items: agent } })
  list(@CurrentUser() user: AuthUser): Promise<AgentView[]> {
    return this.agents.list(user.id);
  }

  @Post()
  @ApiBody({ schema: openApiSchema(createAgentSchema) })
  @ApiCreatedResponse({ schema: agent })
  @ApiBadRequestResponse({ schema: errorSchema })
  @ApiConflictResponse({ description: 'you already have an agent with this number', schema: errorSchema })
  create(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(createAgentSchema)) body: CreateAgentInput,
  ): Promise<AgentView> {
    return this.agents.create(user.id, body);
  }

  @Get(':id')
  @ApiOkResponse({ schema: agent })
  @ApiNotFoundResponse({ schema: errorSchema })
  get(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<AgentView> {
    return this.agents.get(user.id, id);
  }

  @Put(':id')
  @ApiBody({ schema: openApiSchema(updateAgentSchema), description: 'the fields to change' })
  @ApiOkResponse({ schema: agent })
  @ApiNotFoundResponse({ schema: errorSchema })
  update(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @Body(new ZodValidationPipe(updateAgentSchema)) body: UpdateAgentInput,
  ): Promise<AgentView> {
    return this.agents.update(user.id, id, body);
  }

  @DeleteById('deleted; its memory goes with it, its history stays')
  @ApiConflictResponse({ description: 'workflows still use this agent', schema: errorSchema })
  async delete(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<void> {
    await this.agents.delete(user.id, id);
  }
}
