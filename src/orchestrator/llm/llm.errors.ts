/** Why a model call did not give an answer; the caller decides what the person hears. */
export enum LlmErrorCode {
  /** A budget of the person or the agent is used up: no call was made. */
  BudgetExhausted = 'LLM_BUDGET_EXHAUSTED',
  /** The provider refused the request (bad key, bad request, rate limit after every retry). */
  Refused = 'LLM_REFUSED',
  /** The provider could not be reached or did not answer in time. */
  Unreachable = 'LLM_UNREACHABLE',
  /** The answer did not have the shape asked for, after every attempt. */
  BadOutput = 'LLM_BAD_OUTPUT',
}

export class LlmError extends Error {
  override name = 'LlmError';

  constructor(
    readonly code: LlmErrorCode,
    message: string,
    /** HTTP status of the provider's refusal, when there was one. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export const isBudgetExhausted = (err: unknown): err is LlmError =>
  err instanceof LlmError && err.code === LlmErrorCode.BudgetExhausted;
