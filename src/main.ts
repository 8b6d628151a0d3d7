import 'reflect-metadata';
import { type INestApplicationContext, Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication, NestExpressBodyParserOptionsFor } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { keepRawBody, verifyJsonBody } from './api/common/json-body.guard.js';
import { RedisIoAdapter } from './api/realtime/redis-io.adapter.js';
import { AppModule, type ProcessRole } from './app.module.js';
import { withTimeout } from './common/with-timeout.js';
import type { PaiosConfig } from './config/config.schema.js';
import { DatabaseRuntime, openDataSource, runMigrations } from './database/data-source.factory.js';

export interface RunningProcess {
  /** http://host:port of the API (server role only). */
  url?: string;
  app: INestApplicationContext;
  /** Stops intake, drains jobs, closes database and Redis. Safe to call twice. */
  shutdown(signal?: string): Promise<void>;
}

/** Opens the database and brings its schema up to date; the caller closes the runtime. */
async function prepareDatabase(config: PaiosConfig): Promise<DatabaseRuntime> {
  const db = await DatabaseRuntime.open(config);
  try {
    const ds = await openDataSource(db.options);
    try {
      await runMigrations(ds);
    } finally {
      await ds.destroy();
    }
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** `paios start`: the HTTP API (plus in-process jobs unless PAIOS_PROCESS_JOBS=false). */
export async function startServer(config: PaiosConfig): Promise<RunningProcess> {
  const db = await prepareDatabase(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, db.options, 'server'), {
    bufferLogs: true,
    // The body parsers below keep the raw bytes themselves (Nest's rawBody option would replace
    // their verify hook).
    rawBody: false,
  }).catch(async (err: unknown) => {
    await db.close();
    throw err;
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Platform webhooks keep the paths their docs and app settings use.
  app.setGlobalPrefix('api', {
    exclude: ['metrics', 'mcp', 'slack/events', 'telegram/webhook', 'discord/interactions', 'site', 'site/*path'],
  });
  // Platform webhooks are verified against the exact bytes received (Slack, Discord signatures); a
  // JSON body nested absurdly deep or holding NUL / lone surrogates is refused before it is parsed.
  // Nest's types leave out `verify` because its rawBody option sets one; with rawBody off it passes
  // ours through to body-parser unchanged.
  app.useBodyParser('json', { limit: '1mb', verify: verifyJsonBody } as NestExpressBodyParserOptionsFor<'json'>);
  app.useBodyParser('urlencoded', {
    extended: true,
    limit: '1mb',
    verify: keepRawBody,
  } as NestExpressBodyParserOptionsFor<'urlencoded'>);
  if (config.redis.url) app.useWebSocketAdapter(new RedisIoAdapter(app, config.redis.url, config.redis.prefix));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('paios')
      .setDescription('Personal AI Operating System: agents, workflows and system endpoints of the seed API')
      .setVersion(config.version)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/json' });

  await app.listen(config.http.port, config.http.host);
  const server: Server = app.getHttpServer();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const url = `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${port}`;
  const log = new NestLogger('paios');
  log.log(
    `listening on ${url} — ${config.database.mode} mode, jobs via ${config.redis.url ? 'BullMQ' : 'the embedded runner'}, data in ${config.dataDir}`,
  );
  return { url, app, shutdown: shutdownOnce(app, db, config, server) };
}

/** A Nest application context (no HTTP) on a prepared database; closes the database if boot fails. */
async function startContext(
  config: PaiosConfig,
  db: DatabaseRuntime,
  role: Exclude<ProcessRole, 'server'>,
  options: { processJobs?: boolean } = {},
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, db.options, role, options), {
    bufferLogs: true,
  }).catch(async (err: unknown) => {
    await db.close();
    throw err;
  });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
}

/** `paios worker`: processes jobs from Redis, serves nothing. */
export async function startWorker(config: PaiosConfig): Promise<RunningProcess> {
  const db = await prepareDatabase(config);
  const app = await startContext(config, db, 'worker');
  new NestLogger('paios').log(`worker ready (concurrency ${config.jobs.concurrency})`);
  return { app, shutdown: shutdownOnce(app, db, config) };
}

/**
 * The orchestrator inside a command-line process (`paios chat`, `mcp`, `route`): no HTTP, logs on
 * stderr. In embedded mode it runs jobs only when no `paios start` serves the same data dir (then
 * the server runs them); in server mode the workers do.
 */
export async function startCliContext(config: PaiosConfig): Promise<RunningProcess> {
  const db = await prepareDatabase(config);
  const app = await startContext(config, db, 'cli', { processJobs: db.mode === 'embedded' && db.ownsDatabase });
  return { app, shutdown: shutdownOnce(app, db, config, undefined, true) };
}

function shutdownOnce(
  app: INestApplicationContext,
  db: DatabaseRuntime,
  config: PaiosConfig,
  server?: Server,
  quiet = false,
) {
  let done: Promise<void> | undefined;
  return (signal?: string) =>
    (done ??= (async () => {
      const log = new NestLogger('paios');
      if (!quiet) log.log(`shutting down${signal ? ` on ${signal}` : ''}: no new requests, draining jobs`);
      // 1. Stop intake: refuse new connections, close idle keep-alive ones.
      server?.close();
      server?.closeIdleConnections();
      // 2. Nest hooks: jobs drain (beforeApplicationShutdown), then DB and Redis close.
      const closed = await withTimeout(
        app.close().then(() => true),
        config.shutdownTimeoutMs * 2,
        false,
      );
      if (!closed) log.warn('shutdown hooks did not finish in time');
      server?.closeAllConnections();
      // 3. The embedded database last: nothing may use it any more.
      await db.close();
      if (!quiet) log.log('stopped');
    })());
}
