import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { DomainError, ErrorCode } from '../../common/errors.js';

/** Validates a request body (or other argument) against a zod schema; 400 lists every problem. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request body',
  ) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const problems = result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    throw new DomainError(
      ErrorCode.Invalid,
      `invalid ${this.what}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
}
