import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { DomainError, ErrorCode } from '../../common/errors.js';
import { VaultService, type AuditEntry, type CredentialSummary, type VaultStatus } from '../../vault/vault.service.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { AuthUser } from '../auth/token.service.js';
import { errorSchema, openApiSchema } from '../common/openapi.js';
import { DeleteById, IdParam } from '../common/route.decorators.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import {
  agentNumberParam,
  auditQuerySchema,
  changeMasterSchema,
  createCredentialSchema,
  credentialViewSchema,
  grantSchema,
  serviceName,
  unlockSchema,
  updateCredentialSchema,
  vaultStatusSchema,
  type ChangeMasterInput,
  type CreateCredentialInput,
  type GrantInput,
  type UnlockInput,
  type UpdateCredentialInput,
} from './vault.schemas.js';

const credential = openApiSchema(credentialViewSchema);
const locked = { description: 'the vault is locked: POST /api/vault/unlock first', schema: errorSchema };

/** The seed's credential endpoints: names and metadata in lists, secrets only through reveal. */
@ApiTags('vault')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'missing, invalid or expired token', schema: errorSchema })
@Controller('credentials')
export class CredentialsController {
  constructor(private readonly vault: VaultService) {}

  @Get()
  @ApiOkResponse({
    description: 'names and metadata, never secrets; works while locked',
    schema: { type: 'array', items: credential },
  })
  list(@CurrentUser() user: AuthUser): Promise<CredentialSummary[]> {
    return this.vault.list(user.id, 'api');
  }

  @Post()
  @ApiBody({ schema: openApiSchema(createCredentialSchema) })
  @ApiCreatedResponse({ schema: credential })
  @ApiBadRequestResponse({ schema: errorSchema })
  @ApiForbiddenResponse(locked)
  @ApiConflictResponse({ description: 'a credential for this service exists', schema: errorSchema })
  create(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(createCredentialSchema)) body: CreateCredentialInput,
  ): Promise<CredentialSummary> {
    return this.vault.store(user.id, body.service_name, body.data, body.metadata ?? {}, 'api');
  }

  @Put(':id')
  @ApiBody({ schema: openApiSchema(updateCredentialSchema) })
  @ApiOkResponse({ schema: credential })
  @ApiForbiddenResponse(locked)
  @ApiNotFoundResponse({ schema: errorSchema })
  update(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
    @Body(new ZodValidationPipe(updateCredentialSchema)) body: UpdateCredentialInput,
  ): Promise<CredentialSummary> {
    return this.vault.update(user.id, id, body, 'api');
  }

  @DeleteById()
  async delete(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<void> {
    await this.vault.remove(user.id, id, 'api');
  }

  /** POST, not GET: a secret should not sit in caches or access logs keyed by URL. */
  @Post(':id/reveal')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the secret fields, audited as a reveal', schema: { type: 'object' } })
  @ApiForbiddenResponse(locked)
  @ApiNotFoundResponse({ schema: errorSchema })
  async reveal(
    @CurrentUser() user: AuthUser,
    @IdParam() id: string,
  ): Promise<{ id: string; data: Record<string, unknown> }> {
    return { id, data: await this.vault.reveal(user.id, id, 'api') };
  }
}

/** Opening and closing the vault, the master password, agent grants and the audit trail. */
@ApiTags('vault')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'missing, invalid or expired token', schema: errorSchema })
@Controller('vault')
export class VaultController {
  constructor(private readonly vault: VaultService) {}

  @Get()
  @ApiOkResponse({ schema: openApiSchema(vaultStatusSchema) })
  status(@CurrentUser() user: AuthUser): Promise<VaultStatus> {
    return this.vault.status(user.id);
  }

  @Post('unlock')
  @HttpCode(200)
  @ApiBody({ schema: openApiSchema(unlockSchema), description: 'the first unlock sets the master password' })
  @ApiOkResponse({ schema: openApiSchema(vaultStatusSchema) })
  @ApiForbiddenResponse({ description: 'too many wrong master passwords', schema: errorSchema })
  async unlock(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(unlockSchema)) body: UnlockInput,
  ): Promise<VaultStatus> {
    await this.vault.unlock(user.id, body.password, 'api');
    return this.vault.status(user.id);
  }

  @Post('lock')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'locked (the key is wiped from memory)' })
  async lock(@CurrentUser() user: AuthUser): Promise<void> {
    await this.vault.lock(user.id);
  }

  @Put('master-password')
  @ApiBody({ schema: openApiSchema(changeMasterSchema) })
  @ApiOkResponse({
    description: 'every data key re-wrapped',
    schema: { type: 'object', properties: { rewrapped: { type: 'integer' } } },
  })
  changeMaster(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(changeMasterSchema)) body: ChangeMasterInput,
  ): Promise<{ rewrapped: number }> {
    return this.vault.changeMasterPassword(user.id, body.old_password, body.new_password);
  }

  @Get('grants')
  @ApiOkResponse({ description: 'which agent may read which service' })
  grants(@CurrentUser() user: AuthUser): Promise<{ agentNumber: number; serviceName: string; createdAt: Date }[]> {
    return this.vault.grants(user.id);
  }

  @Post('grants')
  @HttpCode(204)
  @ApiBody({ schema: openApiSchema(grantSchema) })
  @ApiNoContentResponse({ description: 'granted' })
  async grant(
    @CurrentUser() user: AuthUser,
    @Body(new ZodValidationPipe(grantSchema)) body: GrantInput,
  ): Promise<void> {
    await this.vault.grant(user.id, body.agent, body.service_name);
  }

  @Delete('grants/:agent/:service')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiNotFoundResponse({ description: 'no such grant', schema: errorSchema })
  async revoke(
    @CurrentUser() user: AuthUser,
    @Param('agent', new ZodValidationPipe(agentNumberParam, 'agent')) agent: number,
    @Param('service', new ZodValidationPipe(serviceName, 'service')) service: string,
  ): Promise<void> {
    if (!(await this.vault.revoke(user.id, agent, service)))
      throw new DomainError(ErrorCode.NotFound, `agent #${agent} has no grant for ${service}`);
  }

  @Get('audit')
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1 to 500, 50 unless given' })
  @ApiOkResponse({ description: 'newest first: action, service, actor, outcome, time' })
  audit(
    @CurrentUser() user: AuthUser,
    @Query(new ZodValidationPipe(auditQuerySchema, 'query')) query: { limit: number },
  ): Promise<AuditEntry[]> {
    return this.vault.auditLog(user.id, query.limit);
  }
}
