import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../sdk/agent.contract.js';
import type { InvoiceRepository } from '../invoice.repository.js';
import { clientData } from '../invoice.view.js';
import type { InvoicingConfig } from '../invoicing.config.js';
import { INVOICING_EXAMPLES } from './invoicing.examples.js';

const CURRENCY = /\b(USD|EUR|GBP|CHF|JPY|CAD|AUD|SEK|NOK|DKK|PLN)\b/;

export function clientTools(repo: InvoiceRepository): ToolDefinition[] {
  return [
    defineTool({
      name: 'add_client',
      description: 'Add a client to bill',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
      input: z.object({
        name: z.string().trim().min(1, 'a client needs a name').max(255),
        email: z.email({ message: 'expected an email address' }).optional(),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, 'expected a currency code such as EUR')
          .optional(),
        address: z.string().max(2000).optional(),
        taxId: z.string().max(64).optional(),
        paymentTermsDays: z.number().int().min(0).max(365).optional(),
      }),
      examples: INVOICING_EXAMPLES.add_client,
      extract: (text) => {
        const m =
          /\b(?:client|customer)\s+(?:named\s+|called\s+)?(.+?)(?=\s+(?:with|billed|paying|in|email)\b|,|$)/i.exec(
            text,
          );
        // "bill acme", chosen as "add a client": the words after the verb name the client.
        // A bare name ("Acme"), chosen the same way, is the client too.
        const bare = m
          ? undefined
          : (/^(?:add|new|create|register|bill|invoice|charge)\s+([a-z][a-z&.' -]{0,60})$/i.exec(text.trim()) ??
            /^([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4})$/.exec(text.trim()));
        return { name: (m?.[1] ?? bare?.[1])?.trim(), currency: CURRENCY.exec(text.toUpperCase())?.[1] };
      },
      handler: async (p, ctx) => {
        const config = ctx.config as InvoicingConfig;
        const client = await repo.createClient(ctx.userId, { ...p, currency: p.currency ?? config.defaultCurrency });
        return {
          text: `Added ${client.name} (billed in ${client.currency}, ${client.paymentTermsDays} days to pay).`,
          data: clientData(client),
        };
      },
    }),
    defineTool({
      name: 'list_clients',
      description: 'List your clients',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({}),
      examples: INVOICING_EXAMPLES.list_clients,
      handler: async (_p, ctx) => {
        const clients = await repo.listClients(ctx.userId);
        return {
          text: clients.length
            ? clients.map((c) => `${c.name} (${c.currency})`).join('\n')
            : 'No clients yet. Say "add a client Acme".',
          data: clients.map(clientData),
        };
      },
    }),
  ];
}
