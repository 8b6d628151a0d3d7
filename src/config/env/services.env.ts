import { z } from 'zod';

/** Outside services the owner sets up for agents: mail and Stripe (a granted vault credential wins). */
export const servicesEnv = {
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: 'expected a URL such as smtp://user:pass@mail.example.com:587' })
    .optional()
    .describe(
      'Mail server for sending invoices, such as `smtp://user:pass@host:587`; a granted vault credential wins.',
    ),
  SMTP_FROM: z.string().min(3).optional().describe('Sender of those mails.'),
  STRIPE_API_KEY: z
    .string()
    .min(8, 'expected a Stripe secret key')
    .optional()
    .describe('Stripe secret key for payment links on sent invoices; a granted vault credential wins.'),
  STRIPE_API_BASE: z
    .url({ message: 'expected a URL' })
    .optional()
    .describe('Another Stripe API base, only for a stand-in such as the test fake.'),
};
