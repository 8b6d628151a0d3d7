import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { AgentResponse } from '../../sdk/agent.contract.js';
import { ConversationService } from '../../orchestrator/conversation/conversation.service.js';
import { ExecutorService } from '../../orchestrator/executor/executor.service.js';
import { InteractionRepository } from '../../orchestrator/executor/interaction.repository.js';
import { AgentRegistry } from '../../orchestrator/registry/agent-registry.js';
import { AgentsService } from '../../orchestrator/registry/agents.service.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';
import { openApiSchema } from '../common/openapi.js';
import { IdParam } from '../common/route.decorators.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { turnBody } from '../voice/turn-body.js';
import { agentVoiceSchema } from '../voice/voice.schemas.js';

/** The seed's AgentCommand, minus what the server knows (user, request id). */
const executeSchema = z
  .object({
    action: z
      .string({ message: 'expected a tool name' })
      .min(1, 'must not be empty')
      .max(255, 'at most 255 characters'),
    parameters: z.record(z.string(), z.unknown(), { message: 'expected a JSON object' }).default({}),
    context: z.record(z.string(), z.unknown(), { message: 'expected a JSON object' }).optional(),
  })
  .strict();

/** Running one of your agents: the seed's execute, status and voice endpoints. */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('agents')
export class AgentExecutionController {
  constructor(
    private readonly agents: AgentsService,
    private readonly executor: ExecutorService,
    private readonly registry: AgentRegistry,
    private readonly interactions: InteractionRepository,
    private readonly conversation: ConversationService,
  ) {}

  @Post(':id/execute')
  @HttpCode(200)
  @ApiBody({ schema: openApiSchema(executeSchema) })
  @ApiOkResponse({ description: 'the seed AgentResponse: success, data, error, metadata.executionTime' })
  async execute(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @Body(new ZodValidationPipe(executeSchema)) body: z.infer<typeof executeSchema>,
  ): Promise<AgentResponse> {
    const agent = await this.agents.get(user.id, id);
    return this.executor.execute({
      userId: user.id,
      agentNumber: agent.agentNumber,
      tool: body.action,
      parameters: body.parameters,
      caller: { kind: 'api', direct: true },
    });
  }

  @Get(':id/status')
  @ApiOkResponse({ description: 'running state, version, calls in flight, and the last command' })
  async status(@CurrentUser() user: AuthUser, @IdParam() id: string) {
    const agent = await this.agents.get(user.id, id);
    const slot = this.registry.get(agent.agentNumber);
    const [last] = await this.interactions.listForUser(user.id, 1, agent.id);
    return {
      agentId: agent.id,
      agentNumber: agent.agentNumber,
      name: agent.name,
      isActive: agent.isActive,
      state: slot?.state ?? 'not installed',
      version: slot?.version ?? null,
      inFlight: slot?.inFlight ?? 0,
      tools: slot?.tools ?? [],
      lastCommand: last ?? null,
    };
  }

  @Post(':id/voice')
  @HttpCode(200)
  @ApiBody({ schema: openApiSchema(agentVoiceSchema) })
  async voice(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @Body(new ZodValidationPipe(agentVoiceSchema)) body: z.infer<typeof agentVoiceSchema>,
  ) {
    const agent = await this.agents.get(user.id, id);
    const turn = await this.conversation.handle({
      userId: user.id,
      text: body.text,
      dryRun: body.dryRun,
      channelAgent: agent.agentNumber,
    });
    return turnBody(turn, body.dryRun);
  }
}
