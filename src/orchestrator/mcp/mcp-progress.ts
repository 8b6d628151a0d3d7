import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/**
 * MCP progress notifications for one request, each with its message and a rising count; undefined
 * when the client sent no progressToken (nobody listens, so nothing is sent). A notification that
 * cannot be sent is dropped: progress never fails a call.
 */
export function progressNotifier(
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
): ((message: string) => void) | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  let step = 0;
  return (message) =>
    void extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: ++step, message },
      })
      .catch(() => undefined);
}
