import { Body, Controller, Get, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { UserRepository } from '../../orchestrator/identity/user.repository.js';
import { AgentRegistry, type SlotView } from '../../orchestrator/registry/agent-registry.js';
import type { ModificationView } from '../../orchestrator/registry/modification.store.js';
import { redactConfig, type Audience } from '../../orchestrator/registry/slot-redaction.js';
import { AdminGuard } from '../auth/admin.guard.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';

const agentNumber = z.number({ message: 'expected an agent number' }).int().min(1).max(999);

const modifySchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('enable'), agentNumber }).strict(),
    z.object({ action: z.literal('disable'), agentNumber }).strict(),
    z.object({ action: z.literal('reconfigure'), agentNumber, config: z.record(z.string(), z.unknown()) }).strict(),
    z.object({ action: z.literal('upgrade'), agentNumber, version: z.string().min(1).max(64) }).strict(),
    z
      .object({
        action: z.literal('register'),
        agentNumber,
        name: z
          .string()
          .max(64)
          .regex(/^[a-z][a-z0-9-]*$/, 'expected a kebab-case name'),
        description: z.string().max(1000).default(''),
        version: z.string().max(64).default('0.0.0'),
        transport: z.discriminatedUnion('type', [
          z
            .object({
              type: z.literal('stdio'),
              command: z.string().min(1).max(4096),
              args: z.array(z.string().max(4096)).max(256).default([]),
              env: z.record(z.string().max(255), z.string().max(4096)).optional(),
            })
            .strict(),
          z
            .object({
              type: z.literal('http'),
              url: z.url({ message: 'expected a URL' }).max(2048),
              headers: z.record(z.string().max(255), z.string().max(8192)).optional(),
            })
            .strict(),
        ]),
        config: z.record(z.string(), z.unknown()).default({}),
      })
      .strict(),
  ],
  { message: 'expected action enable, disable, reconfigure, upgrade or register' },
);

const rollbackSchema = z.object({ modificationId: z.uuid({ message: 'expected a modification id (UUID)' }) }).strict();

/** Run-time changes to the agent registry (hot swaps), their journal, and rollback. */
@ApiTags('system')
@ApiBearerAuth()
@Controller('system')
export class SystemController {
  constructor(
    private readonly registry: AgentRegistry,
    private readonly users: UserRepository,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
  ) {}

  private async audience(user: AuthUser): Promise<Audience> {
    return (await this.users.isAdmin(user, this.config.adminEmails)) ? 'owner' : 'other';
  }

  @Get('agents')
  @ApiOkResponse({
    description:
      'every agent slot: state, version, calls in flight, tools; configuration values of secret keys are "[redacted]", and all of them for others than the owner',
  })
  async agents(@CurrentUser() user: AuthUser): Promise<SlotView[]> {
    const audience = await this.audience(user);
    const slots = this.registry.list();
    return audience === 'owner' ? slots : slots.map((s) => ({ ...s, config: redactConfig(s.config, audience) }));
  }

  @Get('modifications')
  @ApiOkResponse({
    description:
      'the change journal, newest first; secrets of outside MCP servers (env, headers, URL credentials, secret keys) are "[redacted]", and others than the owner see no configuration values',
  })
  async modifications(@CurrentUser() user: AuthUser): Promise<ModificationView[]> {
    return this.registry.history(await this.audience(user), 100);
  }

  @Post('modify')
  @UseGuards(AdminGuard)
  @HttpCode(200)
  @ApiBody({ schema: openApiSchema(modifySchema) })
  @ApiOkResponse({
    description: 'the agent slot after the change; a failed start leaves the old version serving (409)',
  })
  modify(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(modifySchema)) body: z.infer<typeof modifySchema>,
  ): Promise<SlotView> {
    switch (body.action) {
      case 'enable':
        return this.registry.enable(body.agentNumber, user.id);
      case 'disable':
        return this.registry.disable(body.agentNumber, user.id);
      case 'reconfigure':
        return this.registry.reconfigure(body.agentNumber, body.config, user.id);
      case 'upgrade':
        return this.registry.upgrade(body.agentNumber, body.version, user.id);
      case 'register':
        return this.registry.register(
          {
            kind: 'external',
            number: body.agentNumber,
            name: body.name,
            description: body.description,
            version: body.version,
            transport: body.transport,
          },
          body.config,
          user.id,
        );
    }
  }

  @Post('rollback')
  @UseGuards(AdminGuard)
  @HttpCode(200)
  @ApiBody({ schema: openApiSchema(rollbackSchema) })
  rollback(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(rollbackSchema)) body: z.infer<typeof rollbackSchema>,
  ): Promise<SlotView> {
    return this.registry.rollback(body.modificationId, user.id);
  }
}
