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
