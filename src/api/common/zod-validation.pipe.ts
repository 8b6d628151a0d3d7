import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { DomainError, ErrorCode } from '../../common/errors.js';
import { isCleanText, MAX_JSON_DEPTH } from './json-body.guard.js';

export interface ValidationProblem {
  path: string;
  message: string;
}

/**
 * Text and nesting that no field may hold, wherever it came from (JSON body, query string, form):
 * NUL and lone surrogates (PostgreSQL refuses them, and they are never meant), and nesting deeper
 * than MAX_JSON_DEPTH. Iterative, so hostile depth cannot exhaust the stack.
 */
export function hostileInput(value: unknown): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const stack: { v: unknown; path: string[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0 && problems.length < 10) {
    const { v, path } = stack.pop()!;
    const at = path.join('.') || '(root)';
    if (typeof v === 'string') {
      if (!isCleanText(v))
        problems.push({ path: at, message: 'text must not contain NUL (\\u0000) or a lone surrogate (\\ud800)' });
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) {
      problems.push({ path: at, message: `nested more than ${MAX_JSON_DEPTH} levels deep` });
      continue;
    }
    for (const [key, child] of Object.entries(v)) {
      if (!isCleanText(key))
        problems.push({ path: at, message: 'a field name holds NUL (\\u0000) or a lone surrogate (\\ud800)' });
      else stack.push({ v: child, path: [...path, key] });
    }
  }
  return problems;
}

/** Validates a request body (or other argument) against a zod schema; 400 lists every problem. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request body',
  ) {}

  transform(value: unknown): z.infer<S> {
    const hostile = hostileInput(value);
    if (hostile.length > 0) throw this.invalid(hostile);
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw this.invalid(result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })));
  }

  private invalid(problems: ValidationProblem[]): DomainError {
    return new DomainError(
      ErrorCode.Invalid,
      `invalid ${this.what}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
}
