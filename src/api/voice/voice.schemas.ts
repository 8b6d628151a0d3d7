import { z } from 'zod';

export const processVoiceSchema = z
  .object({
    text: z
      .string({ message: 'expected the words to process' })
      .trim()
      .min(1, 'must not be empty')
      .max(4000, 'at most 4000 characters'),
    dryRun: z.boolean({ message: 'expected true or false' }).optional(),
    /** Route as if said in a channel bound to this agent. */
    agentNumber: z.number().int().min(1).max(999).optional(),
  })
  .strict();

export type ProcessVoiceInput = z.infer<typeof processVoiceSchema>;

export const agentVoiceSchema = processVoiceSchema.omit({ agentNumber: true });

export const historyQuerySchema = z.object({
  limit: z.coerce.number({ message: 'expected a number' }).int().min(1).max(500).default(50),
});
