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
  LLM_PROVIDER: z
    .enum(['openai', 'anthropic'], { message: 'expected openai or anthropic' })
    .optional()
    .describe('LLM that routes what the local model is unsure of.'),
  LLM_MODEL: z.string().min(1).optional().describe('Model of that LLM.'),
  OPENAI_API_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('OpenAI key; speech-to-text and speech use it unless they have their own.'),
  OPENAI_BASE_URL: z
    .url({ message: 'expected a URL such as http://127.0.0.1:8080/v1' })
    .optional()
    .describe('Any OpenAI-compatible server (a local one needs no key).'),
  ANTHROPIC_API_KEY: z.string().min(1).optional().describe('Anthropic key.'),
  ANTHROPIC_BASE_URL: z.url({ message: 'expected a URL' }).optional().describe('Another Anthropic API base.'),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: 'expected a URL such as smtp://user:pass@mail.example.com:587' })
    .optional()
    .describe(
      'Mail server for sending invoices, such as `smtp://user:pass@host:587`; a granted vault credential wins.',
    ),
  SMTP_FROM: z.string().min(3).optional().describe('Sender of those mails.'),
  STRIPE_API_KEY: z
    .string()
    .min(8, 'expected a Stripe secret key')
    .optional()
    .describe('Stripe secret key for payment links on sent invoices; a granted vault credential wins.'),
  STRIPE_API_BASE: z
    .url({ message: 'expected a URL' })
    .optional()
    .describe('Another Stripe API base, only for a stand-in such as the test fake.'),
  MCP_ALLOW_REMOTE: bool.default(false).describe('Let other machines use `/mcp` (otherwise this machine only).'),
  PAIOS_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'expected a URL such as https://paios.example.com' })
    .optional()
    .describe('Where people reach paios (https://paios.example.com); `/mcp` answers to its host name.'),
  MCP_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .describe('Browser origins allowed to call `/mcp`.'),
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
    })
    .describe('Host names, `*.domains`, IPs or CIDRs inside your network that user-chosen connections may reach.'),
  PAIOS_ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .describe('Owners: who may change the running system (`/api/system/modify`, `rollback`) and approve pairings.'),
  PAIOS_LOCAL_USER: z
    .email({ message: 'expected an email address' })
    .optional()
    .describe('The user `paios chat` and `paios mcp` act as.'),
  PAIOS_TIMEZONE: z
    .string()
    .refine(validTimeZone, 'expected an IANA time zone such as Europe/Berlin')
    .default(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC')
    .describe('IANA time zone of schedules said in chat ("every weekday at 8:00").'),
  CHAT_RATE_LIMIT_PER_MINUTE: positiveInt('a message count')
    .default(30)
    .describe('Chat messages one person may send per minute, all platforms together.'),
  CHAT_CONCURRENCY: positiveInt('a count of 1 or more')
    .default(8)
    .describe('Chat messages one process works on at once; the rest wait in arrival order.'),
  PAIRING_CODE_TTL: duration.default('1h').describe('How long a pairing code for an unknown chat account stays valid.'),
  // Slack (@slack/bolt): HTTP events at POST /slack/events, or Socket Mode with an app token.
  SLACK_SIGNING_SECRET: z
    .string()
    .min(8, 'expected the signing secret from the Slack app page')
    .optional()
    .describe('Slack signing secret, for events over HTTP at `POST /slack/events`.'),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'expected a bot token starting with xoxb-')
    .optional()
    .describe('Slack bot token (`xoxb-…`); Slack is on when it is set.'),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'expected an app-level token starting with xapp-')
    .optional()
    .describe('Slack app-level token (`xapp-…`) for Socket Mode, which needs no public address.'),
  SLACK_API_URL: z
    .url({ message: 'expected a URL such as https://slack.com/api/' })
    .optional()
    .describe('Another Slack Web API base (a stand-in).'),
  SLACK_AGENT_COMMANDS: agentBindings('/command=agent number, e.g. /invoice=15').describe(
    'Extra slash commands bound to one agent each, such as `/invoice=15,/bi=1`.',
  ),
  // Telegram (grammY): webhook at POST /telegram/webhook when a secret is set, else long polling.
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, 'expected a token from @BotFather such as 123456:ABC-def')
    .optional()
    .describe('Telegram bot token from @BotFather; Telegram is on when it is set.'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1-256 letters, digits, _ or -')
    .optional()
    .describe(
      'Webhook secret (1-256 of `A-Z a-z 0-9 _ -`): updates arrive at `POST /telegram/webhook`. Unset: long polling.',
    ),
  TELEGRAM_API_ROOT: z
    .url({ message: 'expected a URL such as https://api.telegram.org' })
    .optional()
    .describe('Another Bot API server, such as a self-hosted `telegram-bot-api`.'),
  // Discord (discord.js): gateway bot plus HTTP interactions at POST /discord/interactions.
  DISCORD_BOT_TOKEN: z
    .string()
    .min(20, 'expected the bot token from the Discord developer portal')
    .optional()
    .describe('Discord bot token; Discord is on when it is set.'),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{5,25}$/, 'expected the numeric application id')
    .optional()
    .describe('Discord application id, for slash commands.'),
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected the 64-character hex public key')
    .optional()
    .describe('Discord public key, to verify interactions at `POST /discord/interactions`.'),
  DISCORD_API_URL: z
    .url({ message: 'expected a URL such as https://discord.com/api' })
    .optional()
    .describe('Another Discord REST base (a stand-in).'),
  DISCORD_AGENT_CHANNELS: agentBindings('channel id=agent number, e.g. 123456789012345678=15').describe(
    'Existing channels bound to one agent each, such as `123456789012345678=15`.',
  ),
  DISCORD_GATEWAY: bool
    .default(true)
    .describe('Connect the gateway bot for channel messages (slash commands also work over HTTP without it).'),
  // Voice: speech-to-text and text-to-speech.
  STT_PROVIDER: z
    .enum(['openai', 'local', 'none'], { message: 'expected openai, local or none' })
    .optional()
    .describe(
      'Speech-to-text for voice notes: any OpenAI-compatible server, local pocketsphinx (no network; the default when no server or key is set), or none.',
    ),
  STT_BASE_URL: z
    .url({ message: 'expected a URL such as http://127.0.0.1:8000/v1' })
    .optional()
    .describe('Speech-to-text server, such as a local Whisper server.'),
  STT_API_KEY: z.string().min(1).optional().describe('Key of the speech-to-text server.'),
  STT_MODEL: z.string().min(1).default('whisper-1').describe('Speech-to-text model.'),
  STT_CONFIDENCE: z.coerce
    .number({ message: 'expected a number from 0 to 1' })
    .min(0, 'expected a number from 0 to 1')
    .max(1, 'expected a number from 0 to 1')
    .default(0.5)
    .describe('Local speech-to-text: below this confidence paios asks "did you mean ...?" before acting.'),
  POCKETSPHINX_PATH: z
    .string()
    .min(1)
    .default('pocketsphinx_continuous')
    .describe('pocketsphinx_continuous, for local speech-to-text.'),
  POCKETSPHINX_MODEL_DIR: z
    .string()
    .min(1)
    .default('/usr/share/pocketsphinx/model/en-us')
    .describe('Acoustic model, dictionary and language model of local speech-to-text (pocketsphinx-en-us).'),
  TTS_PROVIDER: z
    .enum(['openai', 'espeak', 'none'], { message: 'expected openai, espeak or none' })
    .optional()
    .describe('Spoken replies to voice notes: OpenAI (compatible servers too), local espeak-ng, or none.'),
  TTS_BASE_URL: z
    .url({ message: 'expected a URL such as http://127.0.0.1:8000/v1' })
    .optional()
    .describe('Text-to-speech server.'),
  TTS_API_KEY: z.string().min(1).optional().describe('Key of the text-to-speech server.'),
  TTS_MODEL: z.string().min(1).default('tts-1').describe('Text-to-speech model.'),
  TTS_VOICE: z
    .string()
    .min(1)
    .default('alloy')
    .describe('Voice of spoken replies for people who chose none (`/api/voice/settings`).'),
  // Vault: Argon2id cost (refused below OWASP's floor at use), idle auto-lock, server unlock key.
  VAULT_ARGON2_MEMORY_KIB: positiveInt('memory in KiB')
    .default(65_536)
    .describe("Argon2id memory for new master passwords; refused below OWASP's floor."),
  VAULT_ARGON2_ITERATIONS: positiveInt('an iteration count')
    .default(3)
    .describe("Argon2id passes for new master passwords; refused below OWASP's floor."),
  VAULT_ARGON2_PARALLELISM: positiveInt('a parallelism of 1 or more')
    .default(4)
    .describe('Argon2id lanes for new master passwords.'),
  VAULT_AUTO_LOCK: duration.default('15m').describe('Idle time before an open vault locks.'),
  PERFORMANCE_UPDATE_MS: positiveInt('milliseconds')
    .default(5_000)
    .describe('How often Socket.io clients get `system:performance_update`.'),
  // Diagrams (agent #31): the browser that draws Mermaid, and its limits.
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium').describe('Browser that draws diagrams.'),
  DIAGRAM_TIMEOUT_MS: positiveInt('milliseconds').default(20_000).describe('Time allowed for one drawing.'),
  DIAGRAM_PAGES: positiveInt('a number of pages').default(2).describe('Browser pages kept open for drawing.'),
  VAULT_REVEAL_SECONDS: positiveInt('a number of seconds')
    .default(30)
    .describe('How long a revealed secret stays in a chat that lets the bot delete it (Telegram, Discord DMs).'),
  PAIOS_VAULT_KEY: z
    .string()
    .min(12, 'expected at least 12 characters')
    .optional()
    .describe('Master password that opens the vaults made with it, for an unattended server.'),
  PAIOS_VAULT_KEY_FILE: z.string().min(1).optional().describe('File whose first line is that master password.'),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg').describe('ffmpeg, for audio conversion.'),
  ESPEAK_PATH: z.string().min(1).default('espeak-ng').describe('espeak-ng, for local speech.'),
  OPUSDEC_PATH: z
    .string()
    .min(1)
    .default('opusdec')
    .describe('opusdec (opus-tools): decodes OGG/Opus voice notes for local speech-to-text faster than ffmpeg.'),
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
    stt: {
      provider: 'openai' | 'local' | 'none';
      baseUrl?: string;
      apiKey?: string;
      model: string;
      /** Local engine: below this, ask "did you mean ...?". */
      confidence: number;
      pocketsphinxPath: string;
      modelDir: string;
      opusdecPath: string;
    };
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
        // Explicit choice, else OpenAI-compatible whenever a key or a server is configured, else local.
        provider: e.STT_PROVIDER ?? (e.STT_BASE_URL || e.STT_API_KEY || e.OPENAI_API_KEY ? 'openai' : 'local'),
        baseUrl: e.STT_BASE_URL ?? e.OPENAI_BASE_URL,
        apiKey: e.STT_API_KEY ?? e.OPENAI_API_KEY,
        model: e.STT_MODEL,
        confidence: e.STT_CONFIDENCE,
        pocketsphinxPath: e.POCKETSPHINX_PATH,
        modelDir: e.POCKETSPHINX_MODEL_DIR,
        opusdecPath: e.OPUSDEC_PATH,
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
