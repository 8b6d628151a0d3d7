import { z } from 'zod';
import { actionSchema, triggerSchema } from '../../orchestrator/workflows/workflow-definition.js';

const jsonObject = z.record(z.string(), z.unknown(), { message: 'expected a JSON object' });
const agentId = z.uuid({ message: 'expected an agent id (UUID)' });

export const createWorkflowSchema = z
  .object({
    sourceAgentId: agentId,
    targetAgentId: agentId,
    triggerConditions: triggerSchema.optional(),
    actions: actionSchema.optional(),
    isActive: z.boolean({ message: 'expected true or false' }).optional(),
  })
  .strict();

export const updateWorkflowSchema = createWorkflowSchema
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');

export type CreateWorkflowInput = z.infer<typeof createWorkflowSchema>;
export type UpdateWorkflowInput = z.infer<typeof updateWorkflowSchema>;

export const workflowViewSchema = z.object({
  id: z.uuid(),
  sourceAgentId: z.uuid().nullable(),
  targetAgentId: z.uuid().nullable(),
  triggerConditions: jsonObject,
  actions: jsonObject,
  isActive: z.boolean(),
  createdAt: z.iso.datetime(),
});
