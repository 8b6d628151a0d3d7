import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';
import { LlmUsageService, type UsageReport } from '../../orchestrator/llm/llm-usage.service.js';

const totals: SchemaObject = {
  type: 'object',
  properties: {
    calls: { type: 'integer' },
    inputTokens: { type: 'integer' },
    outputTokens: { type: 'integer' },
    totalTokens: { type: 'integer' },
    costUsd: { type: 'number', description: 'US dollars, priced per model; local models cost 0' },
  },
};

const usageReportSchema: SchemaObject = {
  type: 'object',
  properties: {
    timeZone: { type: 'string', description: 'PAIOS_TIMEZONE: where days and months begin' },
    day: { type: 'string', format: 'date' },
    month: { type: 'string', example: '2026-12' },
    today: totals,
    thisMonth: totals,
    limits: {
      type: 'object',
      description: 'your budgets (0: no limit); at 100% paios stops asking the model and routes locally only',
      properties: {
        dailyTokens: { type: 'integer' },
        monthlyTokens: { type: 'integer' },
        dailyUsd: { type: 'number' },
        monthlyUsd: { type: 'number' },
      },
    },
    agents: {
      type: 'array',
      description: 'this month by agent; agentNumber null is the router choosing tools',
      items: {
        type: 'object',
        properties: {
          agentNumber: { type: 'integer', nullable: true },
          agentName: { type: 'string' },
          today: totals,
          thisMonth: totals,
        },
      },
    },
  },
};

/** Your use of AI models: tokens and dollars today and this month, your limits, and by agent. */
@ApiTags('llm')
@ApiBearerAuth()
@Controller('llm')
export class LlmUsageController {
  constructor(private readonly usage: LlmUsageService) {}

  @Get('usage')
  @ApiOkResponse({
    description: 'your AI use today and this month, your budgets, and by agent',
    schema: usageReportSchema,
  })
  report(@CurrentUser() user: AuthUser): Promise<UsageReport> {
    return this.usage.report(user.id);
  }
}
