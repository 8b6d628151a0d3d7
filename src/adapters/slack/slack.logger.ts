import type { Logger } from '@nestjs/common';
import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import { scrub } from '../core/adapter-hub.js';

/** Bolt's and the Web API's log lines, through Nest's logger, warnings and errors only, tokens scrubbed. */
export function slackLogger(logger: Logger, secrets: readonly (string | undefined)[]): SlackLogger {
  const line = (args: unknown[]) =>
    scrub(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '), secrets);
  let level = LogLevel.ERROR;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => logger.warn(line(args)),
    error: (...args: unknown[]) => logger.error(line(args)),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}
