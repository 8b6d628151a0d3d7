import type { LlmProvider, LlmRequest, LlmResult } from './language-model.port.js';

/** The provider's raw answer, before budgets and usage are added. */
export type DriverResult = Omit<LlmResult, 'budgetWarning'>;

/** Events of a streamed answer: text as it comes, then the whole answer. */
export type DriverStreamEvent = { type: 'delta'; text: string } | { type: 'done'; result: DriverResult };

/**
 * One provider's SDK behind the port: maps the neutral request to the SDK's and back. No retries, no
 * budgets, no timeouts of its own: LanguageModelService adds them around every call.
 */
export interface ModelDriver {
  readonly provider: LlmProvider;
  readonly model: string;
  generate(request: LlmRequest, signal: AbortSignal): Promise<DriverResult>;
  /** Opens the stream (a refusal or a failed connection rejects here, so it can be retried). */
  stream(request: LlmRequest, signal: AbortSignal): Promise<AsyncIterable<DriverStreamEvent>>;
  /** The SDK's error as a provider failure; undefined for anything that is not one (a bug: not retried). */
  failure(err: unknown): ProviderFailure | undefined;
}

/** A provider failure as the retry policy sees it: the HTTP status and its Retry-After, if any. */
export interface ProviderFailure {
  status?: number;
  /** Milliseconds the provider asked us to wait (Retry-After / retry-after-ms). */
  retryAfterMs?: number;
  /** No answer at all: connection refused, reset, timed out. */
  network: boolean;
  message: string;
}

/** Reads `retry-after-ms`, then `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** How an SDK's errors read: its "no connection" class and its "the API answered with an error" class. */
interface SdkErrors {
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIError: abstract new (...args: never[]) => Error;
}

/** An SDK error as a ProviderFailure (for the service's retry decision), or undefined if it is not the SDK's. */
export function sdkFailure(err: unknown, sdk: SdkErrors): ProviderFailure | undefined {
  if (err instanceof sdk.APIConnectionError) return { network: true, message: err.message };
  if (err instanceof sdk.APIError) {
    const { status, headers } = err as { status?: number; headers?: Headers };
    return { network: false, status, retryAfterMs: retryAfterMs(headers), message: err.message };
  }
  return undefined;
}

/** What a stream has told so far; a driver's reader updates it for each event of its SDK. */
export interface StreamState {
  model: string;
  usage: { inputTokens: number; outputTokens: number };
  finish: DriverResult['finish'];
}

/**
 * A provider's stream as paios's: each piece of text `read` returns goes out as a delta, then the
 * whole answer with the model, usage and finish the reader recorded.
 */
export async function* driverStream<T>(
  source: AsyncIterable<T>,
  provider: DriverResult['provider'],
  model: string,
  read: (event: T, state: StreamState) => string | undefined,
): AsyncIterable<DriverStreamEvent> {
  const state: StreamState = { model, usage: { inputTokens: 0, outputTokens: 0 }, finish: 'stop' };
  let text = '';
  for await (const event of source) {
    const delta = read(event, state);
    if (delta) {
      text += delta;
      yield { type: 'delta', text: delta };
    }
  }
  yield { type: 'done', result: { text, toolCalls: [], ...state, provider } };
}

/** Why an answer ended: tool calls to make, cut off at the token limit, or done. */
export const finishOf = (toolCalls: unknown[], cutOff: boolean): DriverResult['finish'] =>
  toolCalls.length ? 'tool_calls' : cutOff ? 'length' : 'stop';

/** A request without its tools: streams carry words only. */
export function withoutTools<T extends { tools?: unknown; tool_choice?: unknown }>(
  params: T,
): Omit<T, 'tools' | 'tool_choice'> {
  const { tools: _tools, tool_choice: _choice, ...rest } = params;
  return rest;
}
