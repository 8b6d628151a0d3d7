import { z } from 'zod';

/** How the person's site presents itself; the address comes from PAIOS_PUBLIC_URL. */
export const publishingConfigSchema = z.object({
  title: z.string().trim().min(1).max(120).default('My site'),
  description: z.string().trim().max(300).default('Notes and posts'),
  author: z.string().trim().max(120).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'expected a language tag such as en or en-GB')
    .default('en'),
});

export type PublishingConfig = z.infer<typeof publishingConfigSchema>;
