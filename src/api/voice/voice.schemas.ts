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

/** POST /api/voice/settings: the fields to change; null puts voice or language back to the server's. */
export const voiceSettingsSchema = z
  .object({
    voice: z
      .string({ message: 'expected a voice name such as alloy, nova or en+f3' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9_+.-]{0,63}$/, 'expected a voice name such as alloy, nova or en+f3')
      .nullable()
      .optional(),
    speed: z
      .number({ message: 'expected a number such as 1 (normal) or 1.25' })
      .min(0.5, 'expected a speed between 0.5 and 2')
      .max(2, 'expected a speed between 0.5 and 2')
      .optional(),
    spokenReplies: z.boolean({ message: 'expected true or false' }).optional(),
    language: z
      .string({ message: 'expected a language tag such as en or de-DE' })
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en or de-DE')
      .nullable()
      .optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, {
    message: 'expected at least one of voice, speed, spokenReplies, language',
  });

export type VoiceSettingsInput = z.infer<typeof voiceSettingsSchema>;
