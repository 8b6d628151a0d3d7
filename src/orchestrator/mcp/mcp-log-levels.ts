import { LoggingLevelSchema, type LoggingLevel } from '@modelcontextprotocol/sdk/types.js';

const SEVERITY = new Map<LoggingLevel, number>(LoggingLevelSchema.options.map((level, i) => [level, i]));

/**
 * The `logging/setLevel` each paios user asked for. /mcp is stateless (a server per request, no
 * session), so the level a client sets is kept per user for the requests that follow; in memory,
 * like an MCP session would keep it. Until a client sets one, `info` and above are sent.
 */
export class McpLogLevels {
  static readonly DEFAULT: LoggingLevel = 'info';
  private readonly levels = new Map<string, LoggingLevel>();

  set(userId: string, level: LoggingLevel): void {
    this.levels.set(userId, level);
  }

  get(userId: string): LoggingLevel {
    return this.levels.get(userId) ?? McpLogLevels.DEFAULT;
  }

  /** True when a message at `level` should reach this user's client. */
  wants(userId: string, level: LoggingLevel): boolean {
    return (SEVERITY.get(level) ?? 0) >= (SEVERITY.get(this.get(userId)) ?? 0);
  }
}
