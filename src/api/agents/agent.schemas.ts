import { z } from 'zod';

const jsonObject = z.record(z.string(), z.unknown(), { message: 'expected a JSON object' });

export const createAgentSchema = z
  .object({
    agentNumber: z
      .number({ message: 'expected a whole number' })
      .int('expected a whole number')
      .min(1, 'expected a number from 1 to 999')
      .max(999, 'expected a number from 1 to 999'),
    name: z.string({ message: 'expected text' }).trim().min(1, 'must not be empty').max(255, 'at most 255 characters'),
    description: z.string({ message: 'expected text' }).max(10_000, 'at most 10000 characters').nullable().optional(),
    config: jsonObject.optional(),
    isActive: z.boolean({ message: 'expected true or false' }).optional(),
  })
  .strict();

export const updateAgentSchema = createAgentSchema
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');

export type CreateAgentInput = z.infer<typeof createAgentSchema>;
export type UpdateAgentInput = z.infer<typeof updateAgentSchema>;

export const agentViewSchema = z.object({
  id: z.uuid(),
  agentNumber: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  config: jsonObject,
  isActive: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
