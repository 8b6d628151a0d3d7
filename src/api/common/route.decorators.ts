import { applyDecorators, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { errorSchema } from './openapi.js';
import { UuidParamPipe } from './uuid-param.pipe.js';

/** The route's `:id`, which must be a UUID (else a 400 naming it). */
export function IdParam(): ParameterDecorator {
  return Param('id', new UuidParamPipe());
}

/** `DELETE :id`: 204 when gone, 404 when there was no such row, as every resource answers it. */
export function DeleteById(description = 'deleted'): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Delete(':id'),
    HttpCode(204),
    ApiNoContentResponse({ description }),
    ApiNotFoundResponse({ schema: errorSchema }),
  );
}
