import type { LineInput } from '../../sdk/money.js';

/** Agent #15's ledger as its code sees it: clients, invoices in exact minor units, their lines. */
export type InvoiceStatus = 'draft' | 'sent' | 'partially_paid' | 'paid' | 'overdue' | 'void';

export interface Client {
  id: string;
  name: string;
  email: string | null;
  address: string | null;
  currency: string;
  taxId: string | null;
  paymentTermsDays: number;
}

export interface InvoiceLine {
  position: number;
  description: string;
  quantity: bigint;
  unitPrice: bigint;
  taxRate: number;
  net: bigint;
  discount: bigint;
  tax: bigint;
  total: bigint;
}

export interface Invoice {
  id: string;
  number: string;
  status: InvoiceStatus;
  client: Client;
  currency: string;
  issueDate: string;
  dueDate: string;
  discountRate: number;
  subtotal: bigint;
  discount: bigint;
  tax: bigint;
  total: bigint;
  paid: bigint;
  notes: string | null;
  /** Where the client can pay online (Stripe), once created. */
  paymentLinkUrl: string | null;
  lines: InvoiceLine[];
}

export interface NewClient {
  name: string;
  email?: string;
  address?: string;
  currency: string;
  taxId?: string;
  paymentTermsDays?: number;
}

export interface NewInvoice {
  clientId: string;
  /** Defaults to the client's currency; a different one is refused. */
  currency?: string;
  /** YYYY-MM-DD; default today (UTC). */
  issueDate?: string;
  /** YYYY-MM-DD; default issue date + the client's payment terms. */
  dueDate?: string;
  discountRate?: number;
  lines: LineInput[];
  notes?: string;
  /** The same key twice returns the first invoice instead of creating another. */
  idempotencyKey?: string;
}
