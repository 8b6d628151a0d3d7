import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { destination } from 'pino';
import type { Options } from 'pino-http';
import type { PaiosConfig } from '../config/config.schema.js';

/** Paths pino replaces with "[redacted]" wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-signature-ed25519"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.masterPassword',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.apiKey',
  '*.privateKey',
];

const SECRET_QUERY = /([?&](?:token|access_token|key|api_key|secret|password)=)[^&]*/gi;

/**
 * nestjs-pino options: JSON lines on stdout (stderr for command-line tools whose stdout is the
 * product, such as `paios mcp`), request logs without secrets.
 */
export function loggerParams(config: PaiosConfig, options: { stderr?: boolean; level?: string } = {}): Params {
  const pinoOptions = {
    level: options.level ?? config.log.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    transport: config.log.pretty ? { target: 'pino-pretty' } : undefined,
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/metrics' },
    serializers: {
      req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown> }) => ({
        id: req.id,
        method: req.method,
        url: req.url.replace(SECRET_QUERY, '$1[redacted]'),
        headers: {
          'user-agent': req.headers['user-agent'],
          // Kept (and so redacted) only to show that one was sent.
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        },
      }),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  } satisfies Options;
  return { pinoHttp: options.stderr ? [pinoOptions, destination(2)] : pinoOptions };
}
