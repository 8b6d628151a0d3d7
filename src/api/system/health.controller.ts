import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { HealthCheckResult, HealthIndicatorFunction } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { PAIOS_CONFIG } from '../../config/config.module.js';
import type { PaiosConfig } from '../../config/config.schema.js';
import { JobQueue } from '../../orchestrator/jobs/job-queue.port.js';
import { REDIS_CLIENT } from '../../database/redis.module.js';
import { Public } from '../../common/public.decorator.js';
import { AdapterHub } from '../../adapters/core/adapter-hub.js';

/**
 * Dependency pings are shared for this long: a flood of probes costs the database one query a
 * second, and a failure still shows within a second.
 */
const PING_CACHE_MS = 1000;

/** `GET /api/system/health`: open, 200 when every dependency answers, 503 naming the one that does not. */
@ApiTags('system')
@Controller('system')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly jobs: JobQueue,
    @Inject(PAIOS_CONFIG) private readonly config: PaiosConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly adapters: AdapterHub,
  ) {}

  @Public()
  @SkipThrottle()
  @Get('health')
  @HealthCheck()
  @ApiOkResponse({ description: 'database (and Redis in server mode) reachable; version and uptime under info.app' })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down; see error' })
  check(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [
      () =>
        this.indicator.check('app').up({
          version: this.config.version,
          mode: this.config.database.mode,
          jobs: this.jobs.driver,
          uptimeSeconds: Math.round(process.uptime()),
          // A chat platform that cannot be reached is reported, not fatal: the rest of paios serves.
          chat: Object.fromEntries(
            this.adapters.statuses().map((s) => [s.platform, s.lastError ? `${s.state}: ${s.lastError}` : s.state]),
          ),
        }),
      () => this.db.pingCheck('database').withTimeout(2000).cacheFor(PING_CACHE_MS),
    ];
    const redis = this.redis;
    if (redis) {
      checks.push(() =>
        this.indicator
          .check('redis')
          .attempt(async () => void (await redis.ping()))
          .withTimeout(2000)
          .cacheFor(PING_CACHE_MS),
      );
    }
    return this.health.check(checks);
  }
}
