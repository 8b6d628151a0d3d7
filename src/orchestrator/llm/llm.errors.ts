import { LlmError, LlmErrorCode } from '../../sdk/language-model.contract.js';

export { LlmError, LlmErrorCode } from '../../sdk/language-model.contract.js';

export const isBudgetExhausted = (err: unknown): err is LlmError =>
  err instanceof LlmError && err.code === LlmErrorCode.BudgetExhausted;
