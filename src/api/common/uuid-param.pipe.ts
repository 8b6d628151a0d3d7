import { type PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../common/errors.js';

/** A UUID of any version, as PostgreSQL's uuid type takes it. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route ids are UUIDs; anything else is a 400 naming the parameter, not a database error. */
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly name = 'id') {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new DomainError(ErrorCode.Invalid, `${this.name} must be a UUID`);
    return value.toLowerCase();
  }
}
