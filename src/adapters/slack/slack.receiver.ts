import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { slackPayloadProblem } from './slack.payload.js';
import { type Clock, SystemClock } from '../../common/clock.js';
import { verifySlackSignature } from './slack.signature.js';

export interface SlackHttpResult {
  status: number;
  body?: unknown;
  contentType?: string;
}

/** How long to wait for a listener's ack before answering 200 anyway (Slack gives up at 3 s). */
const ACK_DEADLINE_MS = 2500;

/**
 * Bolt's receiver for requests that Nest has already read: checks the signature (signing secret,
 * five-minute replay window either way, on the injected clock) on the exact bytes, answers url_verification, hands the payload to
 * Bolt, and resolves with the HTTP answer as soon as the listener acks, while Bolt goes on working.
 */
export class NestSlackReceiver implements Receiver {
  private app?: App;
  /** False until Bolt has checked its token (auth.test); events before then get 503 so Slack retries. */
  ready = false;

  constructor(
    private readonly signingSecret: string,
    private readonly clock: Clock = new SystemClock(),
  ) {}

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  async handle(raw: Buffer, headers: Record<string, string | string[] | undefined>): Promise<SlackHttpResult> {
    const header = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const rawText = raw.toString('utf8');
    const refused = verifySlackSignature({
      signingSecret: this.signingSecret,
      body: rawText,
      signature: header('x-slack-signature'),
      timestamp: header('x-slack-request-timestamp'),
      nowMs: this.clock.now().getTime(),
    });
    if (refused) return { status: 401, body: { error: 'invalid Slack signature' } };
    const body = parseBody(rawText, header('content-type') ?? '');
    if (!body) return { status: 400, body: { error: 'unreadable Slack payload' } };
    if (body.type === 'url_verification') return { status: 200, body: { challenge: body.challenge } };
    if (body.ssl_check) return { status: 200 };
    const missing = slackPayloadProblem(body);
    if (missing) return { status: 400, body: { error: `Slack payload without ${missing}` } };
    if (!this.app || !this.ready) return { status: 503, body: { error: 'paios is still connecting to Slack' } };

    return new Promise<SlackHttpResult>((resolve) => {
      let answered = false;
      const answer = (result: SlackHttpResult) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => answer({ status: 200 }), ACK_DEADLINE_MS);
      const retry = header('x-slack-retry-num');
      const event: ReceiverEvent = {
        body,
        retryNum: retry ? Number(retry) : undefined,
        retryReason: header('x-slack-retry-reason'),
        ack: async (response?: unknown) => {
          if (response === undefined || response === '') answer({ status: 200 });
          else if (typeof response === 'string') answer({ status: 200, body: response, contentType: 'text/plain' });
          else answer({ status: 200, body: response });
        },
      };
      this.app!.processEvent(event).catch(() => answer({ status: 500 }));
    });
  }
}

/** Slack sends JSON (events) or a form (slash commands; interactivity as a `payload` JSON field). */
function parseBody(raw: string, contentType: string): Record<string, unknown> | null {
  try {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const form = Object.fromEntries(new URLSearchParams(raw));
      return typeof form.payload === 'string' ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
    }
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return null;
  }
}
