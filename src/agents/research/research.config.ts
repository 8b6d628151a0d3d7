import { z } from 'zod';

/** Per-person settings of agent #18. */
export const researchConfigSchema = z.object({
  /** Search results read for one question. */
  maxSources: z.number().int().min(1).max(10).default(5),
  /** Search results read per option of a comparison. */
  sourcesPerOption: z.number().int().min(1).max(5).default(2),
});

export type ResearchConfig = z.infer<typeof researchConfigSchema>;

/** The effective configuration a tool is handed, read through the schema (defaults filled). */
export const researchConfig = (raw: Record<string, unknown>): ResearchConfig => researchConfigSchema.parse(raw);
