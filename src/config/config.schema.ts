import { resolve } from 'node:path';
import { z } from 'zod';
import { allowEntryProblem } from '../common/allowed-hosts.js';

/**
 * Every setting paios reads from the environment. Parsed once at boot: a bad value stops the process
 * with a message naming the variable and what it expects. Secret settings are listed in
 * SECRET_SETTINGS so that nothing prints their values.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ message: 'expected a port number' })
  .int('expected a whole number')
  .min(0, 'expected a port between 0 and 65535')
  .max(65535, 'expected a port between 0 and 65535');

const positiveInt = (what: string) =>
  z.coerce
    .number({ message: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);

const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  message: 'expected a postgres:// URL such as postgres://user:pass@host:5432/paios',
});

const redisUrl = z.url({
  protocol: /^rediss?$/,
  message: 'expected a redis:// URL such as redis://127.0.0.1:6379',
});

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** "key=agent number" pairs separated by commas; agent numbers 1-999. */
const agentBindings = (what: string) =>
  z
    .string()
    .default('')
    .transform((v, ctx) => {
      const out: Record<string, number> = {};
      for (const part of v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const m = /^([^=\s]+)\s*=\s*#?(\d{1,3})$/.exec(part);
        if (!m || Number(m[2]) < 1) {
          ctx.addIssue({ code: 'custom', message: `expected ${what}` });
          return z.NEVER;
        }
        out[m[1]!] = Number(m[2]);
      }
      return out;
    });

const duration = z.string().regex(/^\d+\s*(s|m|h|d)$/, 'expected a duration such as 30m, 12h or 30d');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PAIOS_DATA_DIR: z.string().min(1).default('./data'),
  PAIOS_PLUGINS_DIR: z.string().min(1).optional(),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: positiveInt('a pool size of 1 or more').default(10),
  REDIS_URL: redisUrl.optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, - or _')
    .default('paios'),
  ACCESS_TOKEN_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  ACCESS_TOKEN_TTL: duration.default('30d'),
  RATE_LIMIT_WINDOW_MS: positiveInt('a window in milliseconds').default(15 * 60 * 1000),
  RATE_LIMIT_MAX: positiveInt('a request count').default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.default(false),
  SHUTDOWN_TIMEOUT_MS: positiveInt('a timeout in milliseconds').default(10_000),
  PAIOS_PROCESS_JOBS: bool.default(true),
  JOBS_CONCURRENCY: positiveInt('a concurrency of 1 or more').default(4),
  JOBS_POLL_INTERVAL_MS: positiveInt('an interval in milliseconds').default(500),
  AGENT_CALL_TIMEOUT_MS: positiveInt('a timeout in milliseconds').default(30_000),
  AGENT_START_TIMEOUT_MS: positiveInt('a timeout in milliseconds').default(15_000),
  AGENT_DRAIN_TIMEOUT_MS: positiveInt('a timeout in milliseconds').default(30_000),
  ROUTER_CONFIDENCE: z.coerce
    .number({ message: 'expected a number between 0 and 1' })
    .min(0, 'expected a number between 0 and 1')
    .max(1, 'expected a number between 0 and 1')
    .default(0.6),
  LLM_PROVIDER: z.enum(['openai', 'anthropic'], { message: 'expected openai or anthropic' }).optional(),
  LLM_MODEL: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url({ message: 'expected a URL such as http://127.0.0.1:8080/v1' }).optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url({ message: 'expected a URL' }).optional(),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: 'expected a URL such as smtp://user:pass@mail.example.com:587' })
    .optional(),
  SMTP_FROM: z.string().min(3).optional(),
  STRIPE_API_KEY: z.string().min(8, 'expected a Stripe secret key').optional(),
  /** Where the Stripe API is (tests point it at a local fake); default Stripe itself. */
  STRIPE_API_BASE: z.url({ message: 'expected a URL' }).optional(),
  MCP_ALLOW_REMOTE: bool.default(false),
  /** Where people reach this paios from outside (https://paios.example.com): /mcp answers to its host name. */
  PAIOS_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'expected a URL such as https://paios.example.com' })
    .optional(),
  MCP_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  /**
   * Hosts a user-chosen connection (vault SMTP, outside MCP over HTTP, scraping, research, publishing)
   * may reach although they are loopback, private or link-local: names, *.domains, IPs or CIDRs.
   */
  PAIOS_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const entries = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      entries.forEach((entry, i) => {
        const problem = allowEntryProblem(entry);
        if (problem)
          ctx.addIssue({
            code: 'custom',
            message: `entry ${i + 1} ${problem}; expected host names, IPs or CIDRs separated by commas, e.g. mail.internal,10.0.0.0/8`,
          });
      });
      return entries;
    }),
  PAIOS_ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Who `paios chat` and `paios mcp` act as; unset: the owner. */
  PAIOS_LOCAL_USER: z.email({ message: 'expected an email address' }).optional(),
  /** IANA time zone for schedules people say in chat ("every weekday at 8:00"); default the machine's. */
  PAIOS_TIMEZONE: z
    .string()
    .refine(validTimeZone, 'expected an IANA time zone such as Europe/Berlin')
    .default(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
  /** Chat messages one person may send per minute, across platforms. */
  CHAT_RATE_LIMIT_PER_MINUTE: positiveInt('a message count').default(30),
  /** Chat messages worked on at once per process; the rest wait their turn in arrival order. */
  CHAT_CONCURRENCY: positiveInt('a count of 1 or more').default(8),
  /** How long a pairing code for an unknown chat account stays valid. */
  PAIRING_CODE_TTL: duration.default('1h'),
  // Slack (@slack/bolt): HTTP events at POST /slack/events, or Socket Mode with an app token.
  SLACK_SIGNING_SECRET: z.string().min(8, 'expected the signing secret from the Slack app page').optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'expected a bot token starting with xoxb-')
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'expected an app-level token starting with xapp-')
    .optional(),
  SLACK_API_URL: z.url({ message: 'expected a URL such as https://slack.com/api/' }).optional(),
  /** Extra slash commands bound to one agent, e.g. "/invoice=15,/bi=1". */
  SLACK_AGENT_COMMANDS: agentBindings('/command=agent number, e.g. /invoice=15'),
  // Telegram (grammY): webhook at POST /telegram/webhook when a secret is set, else long polling.
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, 'expected a token from @BotFather such as 123456:ABC-def')
    .optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1-256 letters, digits, _ or -')
    .optional(),
  TELEGRAM_API_ROOT: z.url({ message: 'expected a URL such as https://api.telegram.org' }).optional(),
  // Discord (discord.js): gateway bot plus HTTP interactions at POST /discord/interactions.
  DISCORD_BOT_TOKEN: z.string().min(20, 'expected the bot token from the Discord developer portal').optional(),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{5,25}$/, 'expected the numeric application id')
    .optional(),
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected the 64-character hex public key')
    .optional(),
  /** REST API base (tests point it at a local fake); default Discord itself. */
  DISCORD_API_URL: z.url({ message: 'expected a URL such as https://discord.com/api' }).optional(),
  /** Channels bound to one agent, e.g. "123456789012345678=15". */
  DISCORD_AGENT_CHANNELS: agentBindings('channel id=agent number, e.g. 123456789012345678=15'),
  /** Connect to the gateway for channel messages (slash commands work over HTTP without it). */
  DISCORD_GATEWAY: bool.default(true),
  // Voice: speech-to-text and text-to-speech.
  STT_PROVIDER: z.enum(['openai', 'none'], { message: 'expected openai or none' }).optional(),
  STT_BASE_URL: z.url({ message: 'expected a URL such as http://127.0.0.1:8000/v1' }).optional(),
  STT_API_KEY: z.string().min(1).optional(),
  STT_MODEL: z.string().min(1).default('whisper-1'),
  TTS_PROVIDER: z.enum(['openai', 'espeak', 'none'], { message: 'expected openai, espeak or none' }).optional(),
  TTS_BASE_URL: z.url({ message: 'expected a URL such as http://127.0.0.1:8000/v1' }).optional(),
  TTS_API_KEY: z.string().min(1).optional(),
  TTS_MODEL: z.string().min(1).default('tts-1'),
  TTS_VOICE: z.string().min(1).default('alloy'),
  // Vault: Argon2id cost (refused below OWASP's floor at use), idle auto-lock, server unlock key.
  VAULT_ARGON2_MEMORY_KIB: positiveInt('memory in KiB').default(65_536),
  VAULT_ARGON2_ITERATIONS: positiveInt('an iteration count').default(3),
  VAULT_ARGON2_PARALLELISM: positiveInt('a parallelism of 1 or more').default(4),
  VAULT_AUTO_LOCK: duration.default('15m'),
  /** How often connected clients get system:performance_update. */
  PERFORMANCE_UPDATE_MS: positiveInt('milliseconds').default(5_000),
  // Diagrams (agent #31): the browser that draws Mermaid, and its limits.
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  DIAGRAM_TIMEOUT_MS: positiveInt('milliseconds').default(20_000),
  DIAGRAM_PAGES: positiveInt('a number of pages').default(2),
  /** How long a revealed secret stays in a chat that allows deleting it (Telegram). */
  VAULT_REVEAL_SECONDS: positiveInt('a number of seconds').default(30),
  /** Unlocks every vault on an unattended server (the master password those vaults were made with). */
  PAIOS_VAULT_KEY: z.string().min(12, 'expected at least 12 characters').optional(),
  PAIOS_VAULT_KEY_FILE: z.string().min(1).optional(),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  ESPEAK_PATH: z.string().min(1).default('espeak-ng'),
});

export type Env = z.infer<typeof envSchema>;

export const SECRET_SETTINGS = [
  'ACCESS_TOKEN_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'SMTP_URL',
  'STRIPE_API_KEY',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'DISCORD_BOT_TOKEN',
  'STT_API_KEY',
  'TTS_API_KEY',
  'PAIOS_VAULT_KEY',
] as const;

export type DatabaseMode = 'embedded' | 'server';

export interface PaiosConfig {
  env: Env['NODE_ENV'];
  version: string;
  http: { host: string; port: number };
  dataDir: string;
  /** Agent plugins; default <dataDir>/plugins. */
  pluginsDir: string;
  database: { mode: DatabaseMode; url?: string; poolSize: number };
  redis: { url?: string; prefix: string };
  auth: { secret?: string; tokenTtl: string };
  rateLimit: { windowMs: number; max: number };
  log: { level: Env['LOG_LEVEL']; pretty: boolean };
  shutdownTimeoutMs: number;
  jobs: { processJobs: boolean; concurrency: number; pollIntervalMs: number };
  agents: { callTimeoutMs: number; startTimeoutMs: number; drainTimeoutMs: number };
  router: { confidence: number };
  mcp: { allowRemote: boolean; allowedOrigins: string[] };
  /** PAIOS_ALLOW_HOSTS: exceptions to the outbound address policy. */
  outbound: { allowHosts: string[] };
  /** PAIOS_PUBLIC_URL: the public address of this paios, when it has one. */
  publicUrl?: string;
  mail: { smtpUrl?: string; from?: string };
  stripe: { apiKey?: string; apiBase?: string };
  /** Who may change the running system; empty: the owner made by `paios init` or the first token. */
  adminEmails: string[];
  /** The user the command line (chat, mcp) acts as; unset: the owner. */
  localUser?: string;
  timezone: string;
  chat: { rateLimitPerMinute: number; pairingCodeTtlMs: number; concurrency: number };
  slack?: {
    signingSecret?: string;
    botToken: string;
    appToken?: string;
    apiUrl?: string;
    /** '/invoice' -> 15 */
    agentCommands: Record<string, number>;
  };
  telegram?: { botToken: string; webhookSecret?: string; apiRoot?: string };
  discord?: {
    botToken: string;
    applicationId?: string;
    publicKey?: string;
    apiUrl?: string;
    /** channel id -> agent number */
    agentChannels: Record<string, number>;
    gateway: boolean;
  };
  diagrams: { chromiumPath: string; timeoutMs: number; pages: number };
  performanceUpdateMs: number;
  vault: {
    kdf: { memoryKiB: number; iterations: number; parallelism: number };
    autoLockMs: number;
    revealSeconds: number;
    /** PAIOS_VAULT_KEY, or the first line of PAIOS_VAULT_KEY_FILE (read by the loader). */
    serverKey?: string;
    serverKeyFile?: string;
  };
  voice: {
    stt: { provider: 'openai' | 'none'; baseUrl?: string; apiKey?: string; model: string };
    tts: { provider: 'openai' | 'espeak' | 'none'; baseUrl?: string; apiKey?: string; model: string; voice: string };
    ffmpegPath: string;
    espeakPath: string;
  };
  llm: {
    provider?: 'openai' | 'anthropic';
    model?: string;
    openai: { apiKey?: string; baseUrl?: string };
    anthropic: { apiKey?: string; baseUrl?: string };
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates raw environment variables into the typed configuration. Never echoes a value. */
export function parseConfig(raw: NodeJS.ProcessEnv, version: string): PaiosConfig {
  // Empty strings are treated as unset, which is what `FOO=` in a .env file means to people.
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const e = result.data;
  return {
    env: e.NODE_ENV,
    version,
    http: { host: e.HOST, port: e.PORT },
    dataDir: resolve(e.PAIOS_DATA_DIR),
    pluginsDir: resolve(e.PAIOS_PLUGINS_DIR ?? `${e.PAIOS_DATA_DIR}/plugins`),
    database: {
      mode: e.DATABASE_URL ? 'server' : 'embedded',
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
    },
    redis: { url: e.REDIS_URL, prefix: e.REDIS_PREFIX },
    auth: { secret: e.ACCESS_TOKEN_SECRET, tokenTtl: e.ACCESS_TOKEN_TTL },
    rateLimit: { windowMs: e.RATE_LIMIT_WINDOW_MS, max: e.RATE_LIMIT_MAX },
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    jobs: {
      processJobs: e.PAIOS_PROCESS_JOBS,
      concurrency: e.JOBS_CONCURRENCY,
      pollIntervalMs: e.JOBS_POLL_INTERVAL_MS,
    },
    agents: {
      callTimeoutMs: e.AGENT_CALL_TIMEOUT_MS,
      startTimeoutMs: e.AGENT_START_TIMEOUT_MS,
      drainTimeoutMs: e.AGENT_DRAIN_TIMEOUT_MS,
    },
    router: { confidence: e.ROUTER_CONFIDENCE },
    mcp: { allowRemote: e.MCP_ALLOW_REMOTE, allowedOrigins: e.MCP_ALLOWED_ORIGINS },
    publicUrl: e.PAIOS_PUBLIC_URL,
    outbound: { allowHosts: e.PAIOS_ALLOW_HOSTS },
    localUser: e.PAIOS_LOCAL_USER,
    mail: { smtpUrl: e.SMTP_URL, from: e.SMTP_FROM },
    stripe: { apiKey: e.STRIPE_API_KEY, apiBase: e.STRIPE_API_BASE },
    adminEmails: e.PAIOS_ADMIN_EMAILS,
    timezone: e.PAIOS_TIMEZONE,
    chat: {
      rateLimitPerMinute: e.CHAT_RATE_LIMIT_PER_MINUTE,
      pairingCodeTtlMs: durationMs(e.PAIRING_CODE_TTL),
      concurrency: e.CHAT_CONCURRENCY,
    },
    slack: e.SLACK_BOT_TOKEN
      ? {
          signingSecret: e.SLACK_SIGNING_SECRET,
          botToken: e.SLACK_BOT_TOKEN,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
          agentCommands: e.SLACK_AGENT_COMMANDS,
        }
      : undefined,
    telegram: e.TELEGRAM_BOT_TOKEN
      ? { botToken: e.TELEGRAM_BOT_TOKEN, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET, apiRoot: e.TELEGRAM_API_ROOT }
      : undefined,
    discord: e.DISCORD_BOT_TOKEN
      ? {
          botToken: e.DISCORD_BOT_TOKEN,
          applicationId: e.DISCORD_APPLICATION_ID,
          publicKey: e.DISCORD_PUBLIC_KEY,
          apiUrl: e.DISCORD_API_URL,
          agentChannels: e.DISCORD_AGENT_CHANNELS,
          gateway: e.DISCORD_GATEWAY,
        }
      : undefined,
    diagrams: { chromiumPath: e.CHROMIUM_PATH, timeoutMs: e.DIAGRAM_TIMEOUT_MS, pages: e.DIAGRAM_PAGES },
    performanceUpdateMs: e.PERFORMANCE_UPDATE_MS,
    vault: {
      kdf: {
        memoryKiB: e.VAULT_ARGON2_MEMORY_KIB,
        iterations: e.VAULT_ARGON2_ITERATIONS,
        parallelism: e.VAULT_ARGON2_PARALLELISM,
      },
      autoLockMs: durationMs(e.VAULT_AUTO_LOCK),
      revealSeconds: e.VAULT_REVEAL_SECONDS,
      serverKey: e.PAIOS_VAULT_KEY,
      serverKeyFile: e.PAIOS_VAULT_KEY_FILE,
    },
    voice: {
      stt: {
        // Explicit choice, else OpenAI-compatible whenever a key or a local server is configured.
        provider: e.STT_PROVIDER ?? (e.STT_BASE_URL || e.STT_API_KEY || e.OPENAI_API_KEY ? 'openai' : 'none'),
        baseUrl: e.STT_BASE_URL ?? e.OPENAI_BASE_URL,
        apiKey: e.STT_API_KEY ?? e.OPENAI_API_KEY,
        model: e.STT_MODEL,
      },
      tts: {
        provider: e.TTS_PROVIDER ?? (e.TTS_BASE_URL || e.TTS_API_KEY ? 'openai' : 'none'),
        baseUrl: e.TTS_BASE_URL ?? e.OPENAI_BASE_URL,
        apiKey: e.TTS_API_KEY ?? e.OPENAI_API_KEY,
        model: e.TTS_MODEL,
        voice: e.TTS_VOICE,
      },
      ffmpegPath: e.FFMPEG_PATH,
      espeakPath: e.ESPEAK_PATH,
    },
    llm: {
      // Explicit choice, else whichever key is present (OpenAI first: OPENAI_BASE_URL serves local models).
      provider:
        e.LLM_PROVIDER ??
        (e.OPENAI_API_KEY || e.OPENAI_BASE_URL ? 'openai' : e.ANTHROPIC_API_KEY ? 'anthropic' : undefined),
      model: e.LLM_MODEL,
      openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
      anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL },
    },
  };
}

/** '30m' -> milliseconds (the format the duration schema accepts). */
export function durationMs(value: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(value);
  if (!m) throw new Error(`not a duration: ${value}`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
