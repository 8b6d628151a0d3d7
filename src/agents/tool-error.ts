/**
 * An error a tool raises on purpose, with a message meant for the person in chat ("no client named
 * Acme"). Any other error is logged and answered with a generic message, so internals never leak.
 */
export class ToolError extends Error {
  override name = 'ToolError';
}
