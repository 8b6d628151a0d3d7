import { Logger } from '@nestjs/common';
import type { z } from 'zod';
import type {
  LanguageModel,
  LlmCallContext,
  LlmProvider,
  LlmRequest,
  LlmResult,
  LlmStream,
} from './language-model.port.js';
import { LlmError, LlmErrorCode } from './llm.errors.js';
import type { LlmBudgetService } from './llm-budget.service.js';
import type { LlmUsageRepository } from './llm-usage.repository.js';
import type { DriverResult, ModelDriver, ProviderFailure } from './model-driver.js';
import { costUsd } from './prices.js';
import { parseStructured, structuredRequest, structuredRetry } from './structured-output.js';

export interface LanguageModelOptions {
  /** Longest one attempt may take. */
  timeoutMs: number;
  /** Retries after a 429, a 5xx or no answer. */
  maxRetries: number;
  /** Waits between attempts (injected so tests need not wait). */
  sleep?: (ms: number) => Promise<void>;
}

/** The longest Retry-After honoured; a provider asking for more is treated as refusing. */
const MAX_RETRY_AFTER_MS = 60_000;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The model port over one provider driver: budgets are checked before every call, each attempt has a
 * timeout, 429/5xx and lost connections are retried with exponential backoff (or the provider's
 * Retry-After), and every answered call is recorded in llm_usage with its tokens, cost and time.
 */
export class LanguageModelService implements LanguageModel {
  private readonly logger = new Logger('LanguageModel');
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly driver: ModelDriver,
    private readonly budget: LlmBudgetService,
    private readonly usage: LlmUsageRepository,
    private readonly options: LanguageModelOptions,
  ) {
    this.sleep = options.sleep ?? defaultSleep;
  }

  get provider(): LlmProvider {
    return this.driver.provider;
  }

  get model(): string {
    return this.driver.model;
  }

  async complete(request: LlmRequest, ctx: LlmCallContext): Promise<LlmResult> {
    await this.budget.assertAvailable(ctx);
    const started = performance.now();
    const result = await this.attempt(ctx, (signal) => this.driver.generate(request, signal));
    return this.settle(result, ctx, started);
  }

  async structured<T>(
    request: LlmRequest,
    schema: z.ZodType<T>,
    ctx: LlmCallContext,
    options: { attempts?: number } = {},
  ): Promise<{ value: T; result: LlmResult }> {
    const attempts = Math.max(1, options.attempts ?? 2);
    let asked = structuredRequest(request, schema);
    let problem = '';
    for (let i = 0; i < attempts; i++) {
      const result = await this.complete(asked, ctx);
      const parsed = parseStructured(result.text, schema);
      if (parsed.ok) return { value: parsed.value, result };
      problem = parsed.problem;
      asked = structuredRetry(asked, result.text, problem);
    }
    throw new LlmError(LlmErrorCode.BadOutput, `the model's answer did not have the shape asked for: ${problem}`);
  }

  stream(request: LlmRequest, ctx: LlmCallContext): LlmStream {
    let resolve!: (r: LlmResult) => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<LlmResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    done.catch(() => undefined); // a caller that only iterates sees the error there
    const deltas = async function* (this: LanguageModelService): AsyncGenerator<string> {
      try {
        await this.budget.assertAvailable(ctx);
        const started = performance.now();
        // Only opening the stream is retried: once text has been shown it cannot be taken back.
        const events = await this.attempt(ctx, (signal) => this.driver.stream(request, signal), false);
        for await (const event of events) {
          if (event.type === 'delta') yield event.text;
          else resolve(await this.settle(event.result, ctx, started));
        }
      } catch (err) {
        const failure = err instanceof LlmError || !this.driver.failure(err) ? err : this.toLlmError(err);
        reject(failure);
        throw failure;
      } finally {
        // A reader that stops early closes the request; `done` must not wait for an end that never comes.
        reject(new LlmError(LlmErrorCode.Unreachable, 'the stream was closed before it ended'));
      }
    }.call(this);
    return { done, [Symbol.asyncIterator]: () => deltas };
  }

  /** Records the call and adds a budget warning when one is due. */
  private async settle(result: DriverResult, ctx: LlmCallContext, started: number): Promise<LlmResult> {
    const { inputTokens, outputTokens } = result.usage;
    try {
      await this.usage.record({
        userId: ctx.userId ?? null,
        agentNumber: ctx.agentNumber ?? null,
        purpose: ctx.purpose,
        provider: result.provider,
        model: result.model,
        inputTokens,
        outputTokens,
        costUsd: costUsd(result.provider, result.model, inputTokens, outputTokens),
        durationMs: performance.now() - started,
      });
      const budgetWarning = await this.budget.warningAfterCall(ctx);
      return budgetWarning ? { ...result, budgetWarning } : result;
    } catch (err) {
      // The answer was paid for: losing its record must not lose the answer too.
      this.logger.error(`could not record model usage: ${(err as Error).message}`);
      return result;
    }
  }

  /**
   * One call, retried on 429, 5xx, lost connections and timeouts. `timed`: the whole attempt has the
   * timeout (a stream has it only until it opens: the SDK's own timeout, set on the client).
   */
  private async attempt<T>(ctx: LlmCallContext, call: (signal: AbortSignal) => Promise<T>, timed = true): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(this.options.timeoutMs);
      const own = ctx.signal ?? new AbortController().signal;
      try {
        return await call(timed ? AbortSignal.any([own, timeout]) : own);
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
        const failure: ProviderFailure | undefined =
          timed && timeout.aborted
            ? { network: true, message: `no answer within ${this.options.timeoutMs} ms` }
            : this.driver.failure(err);
        const wait = failure && this.retryDelay(failure, attempt);
        if (wait === undefined) throw this.toLlmError(err, failure);
        this.logger.warn(
          `${this.provider} ${failure?.status ?? 'gave no answer'}; retry ${attempt + 1} of ${this.options.maxRetries} in ${wait} ms`,
        );
        await this.sleep(wait);
      }
    }
  }

  /** Milliseconds to wait before the next attempt, or undefined when the failure is final. */
  private retryDelay(failure: ProviderFailure, attempt: number): number | undefined {
    if (attempt >= this.options.maxRetries) return undefined;
    const retryable = failure.network || failure.status === 429 || (failure.status ?? 0) >= 500;
    if (!retryable) return undefined;
    if (failure.retryAfterMs !== undefined) {
      return failure.retryAfterMs <= MAX_RETRY_AFTER_MS ? failure.retryAfterMs : undefined;
    }
    // Exponential backoff with jitter: 0.5 s, 1 s, 2 s ... at most 8 s.
    const base = Math.min(8_000, 500 * 2 ** attempt);
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  private toLlmError(err: unknown, failure = this.driver.failure(err)): LlmError {
    if (err instanceof LlmError) return err;
    if (!failure) throw err;
    // The provider's message, never the request: it may quote what was sent.
    if (failure.network) return new LlmError(LlmErrorCode.Unreachable, `${this.provider}: ${failure.message}`);
    return new LlmError(
      LlmErrorCode.Refused,
      `${this.provider} refused the request (${failure.status ?? 'no status'})`,
      failure.status,
    );
  }
}
