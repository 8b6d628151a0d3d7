import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { accessEnv } from './env/access.env.js';
import { chatPlatformsEnv } from './env/chat-platforms.env.js';
import { llmEnv } from './env/llm.env.js';
import { serverEnv } from './env/server.env.js';
import { servicesEnv } from './env/services.env.js';
import { systemViewsEnv } from './env/system-views.env.js';
import { vaultEnv, vaultServerEnv } from './env/vault.env.js';
import { audioToolsEnv, voiceEnv } from './env/voice.env.js';

/**
 * Every setting paios reads from the environment. Parsed once at boot: a bad value stops the process
 * with a message naming the variable and what it expects. Secret settings are listed in
 * SECRET_SETTINGS so that nothing prints their values. Each area's settings live in src/config/env/;
 * their order here is the order of docs/configuration.md.
 */
export const envSchema = z.object({
  ...serverEnv,
  ...llmEnv,
  ...servicesEnv,
  ...accessEnv,
  ...chatPlatformsEnv,
  ...voiceEnv,
  ...vaultEnv,
  ...systemViewsEnv,
  ...vaultServerEnv,
  ...audioToolsEnv,
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
  /** Rebuildable files (the router's trained model); undefined when PAIOS_CACHE_DIR=off. */
  cacheDir?: string;
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
  /** Web search of the research agent (#18); Brave and Tavily keys come from people's vaults. */
  research: { searxngUrl?: string; braveApiBase?: string; tavilyApiBase?: string };
  /** APIFY_API_BASE; the token is each person's, from their vault. */
  apify: { apiBase?: string };
  /** SOCIAL_X_API_BASE, SOCIAL_LINKEDIN_API_BASE; accounts are each person's, from their vault. */
  social: { xApiBase?: string; linkedinApiBase?: string };
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
    timeoutMs: number;
    maxRetries: number;
    /** Requests that need several tools: model calls at most, tools offered, seconds between progress messages. */
    tools: { maxSteps: number; candidates: number; progressSeconds: number };
    /** Defaults for every person and every agent; 0 is no limit. An agent's config key `llm` overrides them. */
    budget: LlmBudgetLimits;
  };
}

export interface LlmBudgetLimits {
  dailyTokens: number;
  monthlyTokens: number;
  dailyUsd: number;
  monthlyUsd: number;
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
    cacheDir: cacheDirOf(e.PAIOS_CACHE_DIR),
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
    research: { searxngUrl: e.SEARXNG_URL, braveApiBase: e.BRAVE_SEARCH_API_BASE, tavilyApiBase: e.TAVILY_API_BASE },
    apify: { apiBase: e.APIFY_API_BASE },
    social: { xApiBase: e.SOCIAL_X_API_BASE, linkedinApiBase: e.SOCIAL_LINKEDIN_API_BASE },
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
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      tools: {
        maxSteps: e.LLM_TOOL_STEPS,
        candidates: e.LLM_TOOL_CANDIDATES,
        progressSeconds: e.LLM_PROGRESS_SECONDS,
      },
      budget: {
        dailyTokens: e.LLM_DAILY_TOKENS,
        monthlyTokens: e.LLM_MONTHLY_TOKENS,
        dailyUsd: e.LLM_DAILY_USD,
        monthlyUsd: e.LLM_MONTHLY_USD,
      },
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

/** PAIOS_CACHE_DIR, or the XDG cache directory of the user; `off` for none. */
function cacheDirOf(setting: string | undefined): string | undefined {
  if (setting === 'off') return undefined;
  if (setting) return resolve(setting);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'paios');
}
