import type { App, Receiver } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { Logger, LogLevel } from '@slack/web-api';

/**
 * Socket Mode for Bolt, with the Web API base honoured: Bolt's own SocketModeReceiver always asks
 * slack.com for the WebSocket URL, so SLACK_API_URL (a proxy, GovSlack, a local stand-in) would be
 * ignored. Events arrive over the socket, are acked over it, and run through Bolt's listeners.
 */
export class SlackSocketReceiver implements Receiver {
  readonly client: SocketModeClient;
  private app?: App;

  constructor(appToken: string, apiUrl: string | undefined, logger: Logger, logLevel: LogLevel) {
    this.client = new SocketModeClient({
      appToken,
      clientOptions: apiUrl ? { slackApiUrl: apiUrl } : {},
      logger,
      logLevel,
    });
    this.client.on('slack_event', (args: SocketEvent) => void this.dispatch(args));
  }

  private async dispatch(args: SocketEvent): Promise<void> {
    await this.app?.processEvent({
      body: args.body,
      ack: async (response?: unknown) =>
        args.ack(response && typeof response === 'object' ? (response as Record<string, unknown>) : undefined),
      retryNum: args.retry_num,
      retryReason: args.retry_reason,
    });
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    await this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
  }
}

interface SocketEvent {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}
