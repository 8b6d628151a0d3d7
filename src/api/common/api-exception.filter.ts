import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { DomainError, ErrorCode } from '../../common/errors.js';

const STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.Invalid]: HttpStatus.BAD_REQUEST,
  [ErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
};

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

/**
 * The one place errors become HTTP responses: domain codes map to 4xx, framework errors keep their
 * status with a readable message, and anything unknown is logged and answered as a bare 500 (its
 * message may carry internals, so it never reaches the client).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (!res.headersSent) res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof DomainError) {
      const statusCode = STATUS_OF[exception.code];
      return { statusCode, error: STATUS_CODES[statusCode]!, message: exception.message, details: exception.details };
    }
    // The throttler's exception, recognised by status so this filter does not load @nestjs/throttler
    // (CommonJS requiring ESM Nest: it cannot load inside Jest, and the chat tests use this filter).
    if (exception instanceof HttpException && exception.getStatus() === 429) {
      return { statusCode: 429, error: STATUS_CODES[429]!, message: 'too many requests; slow down and retry later' };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : ([] as unknown[]).concat((response as { message?: unknown }).message ?? exception.message).join('; ');
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
    }
    // body-parser errors (malformed JSON, body too large, refused by our guard) carry their own 4xx.
    const e = exception as { status?: number; type?: string; expose?: boolean; message?: string };
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      const message =
        e.type === 'entity.parse.failed'
          ? 'request body is not valid JSON'
          : e.type === 'entity.too.large'
            ? 'request body is too large'
            : e.type === 'paios.body.refused' && e.message
              ? e.message
              : e.status === 400 && /decode param/i.test(e.message ?? '')
                ? 'a path parameter is not valid percent-encoded UTF-8'
                : (STATUS_CODES[e.status] ?? 'bad request').toLowerCase();
      return { statusCode: e.status, error: STATUS_CODES[e.status] ?? 'Error', message };
    }
    const refused = databaseInputProblem(exception);
    if (refused) return { statusCode: 400, error: STATUS_CODES[400]!, message: refused };
    return { statusCode: 500, error: STATUS_CODES[500]!, message: 'internal error; the server log has the details' };
  }
}

/**
 * PostgreSQL errors that mean "this input cannot be stored or compared", not "the server broke":
 * a value that slipped past validation is still the caller's 400. The message names the class of
 * problem, never the value (it may be a secret).
 */
const INPUT_ERRORS: Record<string, string> = {
  '22021': 'a value holds bytes that are not valid text',
  '22P05': 'a value holds a character the database cannot store (such as NUL)',
  '22P02': 'a value has the wrong form for its field (for example an id that is not a UUID)',
  '22003': 'a number is out of range',
  '22001': 'a value is too long',
  '22007': 'a date or time is not valid',
  '22008': 'a date or time is out of range',
  '22023': 'a value is not valid for its field',
  '2201X': 'a row offset is not valid',
  '2201W': 'a row limit is not valid',
  '54001': 'a value is nested too deeply',
  '54000': 'a value is too large',
};

export function databaseInputProblem(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  const problem = typeof code === 'string' ? INPUT_ERRORS[code] : undefined;
  return problem && `the request was refused: ${problem}`;
}
