import { z } from 'zod';
import type { SchemaObject } from '@nestjs/swagger';

/** OpenAPI schema of a zod schema, so the docs and the validation never disagree. */
export function openApiSchema(schema: z.ZodType): SchemaObject {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any' });
  return json as SchemaObject;
}

export const errorSchema: SchemaObject = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
    details: {},
  },
  required: ['statusCode', 'error', 'message'],
};
