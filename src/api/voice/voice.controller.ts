import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ConversationService } from '../../orchestrator/conversation/conversation.service.js';
import { InteractionRepository, type InteractionView } from '../../orchestrator/executor/interaction.repository.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { VoiceSettingsRepository, type VoiceSettings } from '../../orchestrator/voice/voice-settings.repository.js';
import {
  historyQuerySchema,
  processVoiceSchema,
  voiceSettingsSchema,
  type ProcessVoiceInput,
  type VoiceSettingsInput,
} from './voice.schemas.js';
import { turnBody } from './turn-body.js';

/** The seed's voice endpoints: text (transcribed or typed) in, routed and answered. */
@ApiTags('voice')
@ApiBearerAuth()
@Controller('voice')
export class VoiceController {
  constructor(
    private readonly conversation: ConversationService,
    private readonly interactions: InteractionRepository,
    private readonly voiceSettings: VoiceSettingsRepository,
  ) {}

  @Post('process')
  @HttpCode(200)
  @ApiBody({ schema: openApiSchema(processVoiceSchema) })
  @ApiOkResponse({
    description:
      'the routing decision (agentNumber, tool, parameters, confidence, via, scores); with the response and reply unless dryRun',
  })
  async process(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(processVoiceSchema)) body: ProcessVoiceInput,
  ) {
    const turn = await this.conversation.handle({
      userId: user.id,
      text: body.text,
      dryRun: body.dryRun,
      channelAgent: body.agentNumber,
    });
    return turnBody(turn, body.dryRun);
  }

  @Get('settings')
  @ApiOkResponse({ description: 'your voice settings: voice, speed, spokenReplies, language' })
  settings(@CurrentUser() user: AuthUser): Promise<VoiceSettings> {
    return this.voiceSettings.get(user.id);
  }

  @Post('settings')
  @HttpCode(200)
  @ApiBody({ schema: openApiSchema(voiceSettingsSchema) })
  @ApiOkResponse({ description: 'your voice settings after the change, used for every spoken reply' })
  updateSettings(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(voiceSettingsSchema)) body: VoiceSettingsInput,
  ): Promise<VoiceSettings> {
    return this.voiceSettings.update(user.id, body);
  }

  @Get('commands')
  @ApiOkResponse({ description: 'your command history, newest first' })
  commands(
    @CurrentUser() user: AuthUser,
    @Query(new ZodValidationPipe(historyQuerySchema, 'query')) query: { limit: number },
  ): Promise<InteractionView[]> {
    return this.interactions.listForUser(user.id, query.limit);
  }
}
