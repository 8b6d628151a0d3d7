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
    // body-parser errors (malformed JSON, body too large) carry their own 4xx status.
    const e = exception as { status?: number; type?: string; expose?: boolean };
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      const message =
        e.type === 'entity.parse.failed'
          ? 'request body is not valid JSON'
          : e.type === 'entity.too.large'
            ? 'request body is too large'
            : (STATUS_CODES[e.status] ?? 'bad request').toLowerCase();
      return { statusCode: e.status, error: STATUS_CODES[e.status] ?? 'Error', message };
    }
    return { statusCode: 500, error: STATUS_CODES[500]!, message: 'internal error; the server log has the details' };
  }
}
