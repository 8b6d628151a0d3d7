import { z } from 'zod';
import { bool, duration, port, positiveInt, postgresUrl, redisUrl } from './env.fields.js';

/**
 * The process itself: where it listens, its data, database and Redis, tokens, rate limits, logs, jobs,
 * agent timeouts and the router's confidence.
 */
export const serverEnv = {
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe(
      'What Node libraries take the environment to be; the Docker image sets `production`, the test suites `test`.',
    ),
  HOST: z.string().min(1).default('127.0.0.1').describe('Address the API binds to.'),
  PORT: port.default(3000).describe('Port the API listens on (`0`: any free port).'),
  PAIOS_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe("Embedded mode's database (PGlite) and the generated token secret."),
  PAIOS_PLUGINS_DIR: z
    .string()
    .min(1)
    .optional()
    .describe('Agent plugins, loaded at start and again when a file changes.'),
  PAIOS_CACHE_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Files paios can rebuild, such as the trained router model (keyed by the tool catalog, so any data dir on this machine reuses it); default `$XDG_CACHE_HOME/paios` or `~/.cache/paios`. `off` keeps nothing.',
    ),
  DATABASE_URL: postgresUrl
    .optional()
    .describe('A `postgres://` URL switches to server mode: data in that PostgreSQL instead of the data dir.'),
  DATABASE_POOL_SIZE: positiveInt('a pool size of 1 or more').default(10).describe('Database connections per process.'),
  REDIS_URL: redisUrl
    .optional()
    .describe('A `redis://` URL: BullMQ jobs, rate limits shared between processes, Socket.io fan-out.'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, - or _')
    .default('paios')
    .describe('Prefix of every Redis key paios writes, so several installations can share one Redis.'),
  ACCESS_TOKEN_SECRET: z
    .string()
    .min(32, 'expected at least 32 characters')
    .optional()
    .describe('Signs API tokens (JWT); 32+ characters. Set it when app processes do not share a data dir.'),
  ACCESS_TOKEN_TTL: duration.default('30d').describe('Lifetime of a minted token when `--ttl` does not say.'),
  RATE_LIMIT_WINDOW_MS: positiveInt('a window in milliseconds')
    .default(15 * 60 * 1000)
    .describe('Window of the per-user API rate limit.'),
  RATE_LIMIT_MAX: positiveInt('a request count')
    .default(1000)
    .describe('API requests per window for one user (for one IP without a token).'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Lowest level logged. Logs are JSON lines on stdout, tokens and secrets redacted.'),
  LOG_PRETTY: bool
    .default(false)
    .describe('Readable logs through pino-pretty instead of JSON (a development aid; install pino-pretty first).'),
  SHUTDOWN_TIMEOUT_MS: positiveInt('a timeout in milliseconds')
    .default(10_000)
    .describe('On SIGTERM or SIGINT, how long running jobs may take to finish before connections close.'),
  PAIOS_PROCESS_JOBS: bool.default(true).describe('Whether `paios start` runs jobs as well as the API.'),
  JOBS_CONCURRENCY: positiveInt('a concurrency of 1 or more').default(4).describe('Jobs one process runs at once.'),
  JOBS_POLL_INTERVAL_MS: positiveInt('an interval in milliseconds')
    .default(500)
    .describe('How often the in-process job runner looks for due jobs.'),
  AGENT_CALL_TIMEOUT_MS: positiveInt('a timeout in milliseconds')
    .default(30_000)
    .describe('Longest one tool call may take.'),
  AGENT_START_TIMEOUT_MS: positiveInt('a timeout in milliseconds')
    .default(15_000)
    .describe('Time a new agent version has to start and pass its health check.'),
  AGENT_DRAIN_TIMEOUT_MS: positiveInt('a timeout in milliseconds')
    .default(30_000)
    .describe('Time a swapped-out agent version has to finish the calls it holds.'),
  ROUTER_CONFIDENCE: z.coerce
    .number({ message: 'expected a number between 0 and 1' })
    .min(0, 'expected a number between 0 and 1')
    .max(1, 'expected a number between 0 and 1')
    .default(0.6)
    .describe('Below this score the router asks the LLM, if one is set, or asks you back.'),
};
