import { z } from 'zod';
import { defineTool, type Entity, type ToolDefinition } from '../../../sdk/agent.contract.js';
import { answering, ToolError } from '../../../sdk/tool-error.js';
import { DomainError } from '../../../common/errors.js';
import type { InvoiceRepository } from '../invoice.repository.js';
import type { Invoice, InvoiceStatus } from '../invoice.types.js';
import { invoiceData, invoiceLine } from '../invoice.view.js';
import type { InvoicingConfig } from '../invoicing.config.js';
import { MailNotConfigured } from '../invoice-mailer.js';
import { GrantedSecretLocked } from '../../../vault/granted-secret.js';
import type { OutsideServices } from '../outside-services.js';
import { formatMoney, MoneyError, parseAmount, parseQuantity, parseRate } from '../../../sdk/money.js';
import { INVOICING_EXAMPLES } from './invoicing.examples.js';

const lineSchema = z.object({
  description: z.string().trim().min(1).max(500),
  quantity: z.union([z.number(), z.string()]),
  unitPrice: z.union([z.number(), z.string()]),
  taxRate: z.union([z.number(), z.string()]).optional(),
});

const INVOICE_NUMBER = /\b([A-Z]{2,5}-\d{2,4}-\d{1,6}|[A-Z]{2,5}-\d{1,6})\b/i;

/** Money and dates come as entities; the client and the work are words the router cannot type. */
function readInvoiceRequest(text: string, entities: Entity[]) {
  // "invoice Acme ...", or a bare name ("Acme") chosen as this tool from a question back.
  const client = (/\b(?:invoice|bill|charge)\s+(?:to\s+)?([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*)/.exec(text) ??
    /^([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4})$/.exec(text.trim()))?.[1];
  const duration = entities.find((e) => e.type === 'duration');
  // A minus sign is kept, so that "-2 hours" is refused rather than billed as two.
  const said = /(-?\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\b/i.exec(text)?.[1];
  const hours = said?.startsWith('-') ? said : duration?.type === 'duration' ? String(duration.seconds / 3600) : said;
  const days = /(-?\d+(?:\.\d+)?)\s*days?\b/i.exec(text)?.[1];
  const money = entities.find((e) => e.type === 'money');
  // The whole number as written: "at 1e20" is refused as not a price, never read as 1.
  const atRate = /\bat\s+\$?€?£?(\d+(?:[.,]\d+)*(?:e[+-]?\d+)?)/i.exec(text)?.[1];
  const rate = atRate && /e/i.test(atRate) ? atRate : money?.type === 'money' ? money.value : atRate;
  const description = /\bfor\s+(?!\d)([a-z][\w\s-]{2,60}?)(?=\s+(?:at|\d)|$)/i.exec(text)?.[1];
  const currency =
    /\b(USD|EUR|GBP|CHF|JPY|CAD|AUD|SEK|NOK|DKK|PLN)\b/i.exec(text)?.[1]?.toUpperCase() ??
    (money?.type === 'money' ? money.currency : undefined);
  return {
    client,
    currency,
    quantity: hours ?? days,
    rate: rate !== undefined ? String(rate).replace(',', '.') : undefined,
    description:
      description?.trim() ||
      (hours !== undefined ? 'Consulting hours' : days !== undefined ? 'Consulting days' : undefined),
  };
}

async function findInvoice(repo: InvoiceRepository, userId: string, ref: string): Promise<Invoice> {
  const invoice = await repo.get(userId, ref.trim());
  if (!invoice) throw new ToolError(`There is no invoice ${ref}.`);
  return invoice;
}

/** Domain and money errors are answers for the person; rethrow them as such. */
const answer = <T>(work: () => Promise<T>) => answering([DomainError, MoneyError], work);

export type PdfStore = (
  userId: string,
  invoice: Invoice,
  config: InvoicingConfig,
) => Promise<{ path: string; pdf: Buffer }>;

const pdfAttachment = (invoice: Invoice, pdf: Buffer) => ({
  filename: `${invoice.number}.pdf`,
  mimeType: 'application/pdf',
  data: pdf.toString('base64'),
});

export function invoiceTools(repo: InvoiceRepository, pdfs: PdfStore, services: OutsideServices): ToolDefinition[] {
  return [
    defineTool({
      name: 'create_invoice',
      description: 'Create an invoice for a client',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      input: z.object({
        client: z.string().trim().min(1, 'which client?'),
        quantity: z.union([z.number(), z.string()]).optional(),
        rate: z.union([z.number(), z.string()]).optional(),
        description: z.string().max(500).optional(),
        lines: z.array(lineSchema).min(1).optional(),
        taxRate: z.union([z.number(), z.string()]).optional(),
        discount: z.union([z.number(), z.string()]).optional(),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .optional(),
        issueDate: z.iso.date().optional(),
        dueDate: z.iso.date().optional(),
        notes: z.string().max(2000).optional(),
      }),
      examples: INVOICING_EXAMPLES.create_invoice,
      extract: readInvoiceRequest,
      handler: (p, ctx) =>
        answer(async () => {
          const config = ctx.config as InvoicingConfig;
          const client = await repo.findClient(ctx.userId, p.client);
          if (!client)
            throw new ToolError(`I don't know a client called ${p.client}. Add it first: "add a client ${p.client}".`);
          const currency = p.currency ?? client.currency;
          const defaultTax =
            p.taxRate !== undefined ? parseRate(p.taxRate, 'tax rate') : parseRate(config.defaultTaxRate, 'tax rate');
          const lines = p.lines
            ? p.lines.map((l) => ({
                description: l.description,
                quantity: parseQuantity(l.quantity),
                unitPrice: parseAmount(l.unitPrice, currency),
                taxRate: l.taxRate !== undefined ? parseRate(l.taxRate, 'tax rate') : defaultTax,
              }))
            : p.rate !== undefined
              ? [
                  {
                    description: p.description ?? 'Services',
                    quantity: parseQuantity(p.quantity ?? 1),
                    unitPrice: parseAmount(p.rate, currency),
                    taxRate: defaultTax,
                  },
                ]
              : null;
          if (!lines) throw new ToolError('What should the invoice charge? Say for example "10 hours at 150".');
          const invoice = await repo.createInvoice(
            ctx.userId,
            {
              clientId: client.id,
              currency,
              lines,
              discountRate: p.discount !== undefined ? parseRate(p.discount, 'discount') : 0,
              issueDate: p.issueDate,
              dueDate: p.dueDate,
              notes: p.notes,
              idempotencyKey: ctx.idempotencyKey,
            },
            config.numberPattern,
          );
          const { path, pdf } = await pdfs(ctx.userId, invoice, config);
          return {
            text: `Created ${invoice.number} for ${invoice.client.name}: ${formatMoney(invoice.total, invoice.currency)} (draft), due ${invoice.dueDate}.`,
            data: { ...invoiceData(invoice), pdfPath: path },
            attachments: [pdfAttachment(invoice, pdf)],
            events: [
              {
                name: 'invoice.created',
                payload: {
                  invoiceId: invoice.id,
                  number: invoice.number,
                  clientId: invoice.client.id,
                  total: invoiceData(invoice).total,
                  currency: invoice.currency,
                },
              },
            ],
            nextSuggestedActions: [`send ${invoice.number}`, `mark ${invoice.number} paid`],
          };
        }),
    }),
    defineTool({
      name: 'list_invoices',
      description: 'List invoices, optionally only overdue, unpaid, paid or drafts',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({
        status: z.enum(['draft', 'sent', 'partially_paid', 'paid', 'overdue', 'void']).optional(),
        client: z.string().optional(),
      }),
      examples: INVOICING_EXAMPLES.list_invoices,
      extract: (text) => {
        const t = text.toLowerCase();
        const status: InvoiceStatus | undefined = /overdue|late|not paid|unpaid|hasn't paid|has not paid/.test(t)
          ? 'overdue'
          : /draft/.test(t)
            ? 'draft'
            : /\bpaid\b/.test(t)
              ? 'paid'
              : undefined;
        return { status, client: /\bfor\s+([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*)/.exec(text)?.[1] };
      },
      handler: (p, ctx) =>
        answer(async () => {
          const client = p.client ? await repo.findClient(ctx.userId, p.client) : null;
          if (p.client && !client) throw new ToolError(`I don't know a client called ${p.client}.`);
          const found = await repo.list(ctx.userId, { status: p.status, clientId: client?.id });
          const what = p.status ? `${p.status.replace('_', ' ')} invoices` : 'invoices';
          return {
            text: found.length ? found.map(invoiceLine).join('\n') : `No ${what}.`,
            data: found.map(invoiceData),
          };
        }),
    }),
    defineTool({
      name: 'record_payment',
      description: 'Mark an invoice paid, or record part of a payment',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
      input: z.object({
        invoice: z.string().trim().min(1, 'which invoice?'),
        amount: z.union([z.number(), z.string()]).optional(),
        paidOn: z.iso.date().optional(),
        method: z.string().max(64).optional(),
      }),
      examples: INVOICING_EXAMPLES.record_payment,
      extract: (text, entities) => {
        const amount =
          entities.find((e) => e.type === 'money') ??
          (/\bof\s+\d/.test(text)
            ? entities.find((e) => e.type === 'number' && !INVOICE_NUMBER.exec(text)?.[1]?.includes(e.text))
            : undefined);
        return {
          invoice: INVOICE_NUMBER.exec(text)?.[1]?.toUpperCase(),
          amount: amount && 'value' in amount ? amount.value : undefined,
        };
      },
      handler: (p, ctx) =>
        answer(async () => {
          const invoice = await findInvoice(repo, ctx.userId, p.invoice);
          const amount = p.amount !== undefined ? parseAmount(p.amount, invoice.currency) : undefined;
          const paid = await repo.recordPayment(ctx.userId, invoice.id, amount, p.paidOn ?? repo.today(), p.method);
          const owed = paid.total - paid.paid;
          return {
            text:
              paid.status === 'paid'
                ? `${paid.number} is paid in full (${formatMoney(paid.total, paid.currency)}).`
                : `Recorded ${formatMoney(amount ?? 0n, paid.currency)} on ${paid.number}; ${formatMoney(owed, paid.currency)} still owed.`,
            data: invoiceData(paid),
            events: [
              { name: 'invoice.paid', payload: { invoiceId: paid.id, number: paid.number, status: paid.status } },
            ],
          };
        }),
    }),
    defineTool({
      name: 'send_invoice',
      description: 'Email an invoice to its client, with the PDF',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
      input: z.object({ invoice: z.string().trim().min(1, 'which invoice?') }),
      examples: INVOICING_EXAMPLES.send_invoice,
      extract: (text) => ({ invoice: INVOICE_NUMBER.exec(text)?.[1]?.toUpperCase() }),
      handler: (p, ctx) =>
        answering([DomainError, MoneyError, MailNotConfigured, GrantedSecretLocked], async () => {
          const config = ctx.config as InvoicingConfig;
          const invoice = await findInvoice(repo, ctx.userId, p.invoice);
          if (invoice.status === 'void') throw new ToolError(`${invoice.number} is void; it cannot be sent`);
          // A payment link first (once per invoice), so the email can carry it.
          let payUrl = invoice.paymentLinkUrl ?? undefined;
          const mailer = await services.mailer(ctx.userId);
          const stripe = await services.stripe(ctx.userId);
          if (stripe && !payUrl && invoice.total > invoice.paid) {
            const link = await stripe.create(invoice);
            await repo.setPaymentLink(ctx.userId, invoice.id, link.id, link.url);
            payUrl = link.url;
          }
          const { pdf } = await pdfs(ctx.userId, invoice, config);
          const sent = await mailer.send(invoice, pdf, config.sender, payUrl);
          const updated = await repo.markSent(ctx.userId, invoice);
          return {
            text: `Sent ${updated.number} to ${sent.to}.${payUrl ? ` Pay online: ${payUrl}` : ''}`,
            data: {
              ...invoiceData(updated),
              emailedTo: sent.to,
              messageId: sent.messageId,
              paymentLink: payUrl ?? null,
            },
          };
        }),
    }),
    defineTool({
      name: 'invoice_pdf',
      description: 'Get the PDF of an invoice',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      input: z.object({ invoice: z.string().trim().min(1, 'which invoice?') }),
      examples: INVOICING_EXAMPLES.invoice_pdf,
      extract: (text) => ({ invoice: INVOICE_NUMBER.exec(text)?.[1]?.toUpperCase() }),
      handler: (p, ctx) =>
        answer(async () => {
          const invoice = await findInvoice(repo, ctx.userId, p.invoice);
          const { path, pdf } = await pdfs(ctx.userId, invoice, ctx.config as InvoicingConfig);
          return {
            text: `${invoiceLine(invoice)}\nPDF: ${path}`,
            data: { ...invoiceData(invoice), pdfPath: path },
            attachments: [pdfAttachment(invoice, pdf)],
          };
        }),
    }),
    defineTool({
      name: 'void_invoice',
      description: 'Void an invoice that has not been paid',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
      input: z.object({ invoice: z.string().trim().min(1, 'which invoice?') }),
      examples: INVOICING_EXAMPLES.void_invoice,
      extract: (text) => ({ invoice: INVOICE_NUMBER.exec(text)?.[1]?.toUpperCase() }),
      handler: (p, ctx) =>
        answer(async () => {
          const voided = await repo.void(ctx.userId, await findInvoice(repo, ctx.userId, p.invoice));
          return { text: `${voided.number} is void; its number stays used.`, data: invoiceData(voided) };
        }),
    }),
  ];
}
