import { z } from 'zod';

export const invoicingConfigSchema = z.object({
  numberPattern: z
    .string()
    .regex(/\{0+\}/, 'needs a sequence such as {0000}')
    .default('INV-{YYYY}-{0000}'),
  defaultCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected a currency code such as EUR')
    .default('EUR'),
  /** Percent, applied to lines that name none. */
  defaultTaxRate: z.number().min(0).max(100).default(0),
  /** Who bills: printed on every invoice. */
  sender: z
    .object({
      name: z.string().max(255).optional(),
      address: z.string().max(1000).optional(),
      email: z.string().max(255).optional(),
      taxId: z.string().max(64).optional(),
      paymentInstructions: z.string().max(2000).optional(),
    })
    .optional(),
});

export type InvoicingConfig = z.infer<typeof invoicingConfigSchema>;
