import { createTransport, type Transporter } from 'nodemailer';
import type { Invoice } from './invoice.types.js';
import type { InvoicingConfig } from './invoicing.config.js';
import { formatMoney } from '../../sdk/money.js';

export class MailNotConfigured extends Error {
  override name = 'MailNotConfigured';
}

/** Sends invoices by email through SMTP (nodemailer), the PDF attached. */
export class InvoiceMailer {
  get configured(): boolean {
    return Boolean(this.smtpUrl && this.from);
  }

  /** A polite reminder for an overdue invoice, the PDF attached again. */
  async remind(invoice: Invoice, pdf: Buffer, daysLate: number): Promise<void> {
    if (!this.smtpUrl || !this.from || !invoice.client.email)
      throw new MailNotConfigured('cannot send reminders without SMTP_URL, SMTP_FROM and a client email');
    this.transport ??= this.makeTransport(this.smtpUrl);
    const owed = formatMoney(invoice.total - invoice.paid, invoice.currency);
    await this.transport.sendMail({
      from: this.from,
      to: invoice.client.email,
      subject: `Reminder: invoice ${invoice.number} is overdue`,
      text: [
        `Hello ${invoice.client.name},`,
        '',
        `invoice ${invoice.number} was due on ${invoice.dueDate} (${daysLate} day${daysLate === 1 ? '' : 's'} ago); ${owed} is still open.`,
        invoice.paymentLinkUrl ? `\nPay online: ${invoice.paymentLinkUrl}` : '',
        '',
        'If you have already paid, thank you, and please ignore this message.',
      ].join('\n'),
      attachments: [{ filename: `${invoice.number}.pdf`, content: pdf, contentType: 'application/pdf' }],
    });
  }

  private transport?: Transporter;

  constructor(
    private readonly smtpUrl: string | undefined,
    private readonly from: string | undefined,
    /** How the SMTP transport is made: plain for the server's SMTP_URL, guarded for a vault's. */
    private readonly makeTransport: (url: string) => Transporter = (url) => createTransport(url),
  ) {}

  async send(
    invoice: Invoice,
    pdf: Buffer,
    sender: InvoicingConfig['sender'],
    payUrl?: string,
  ): Promise<{ messageId: string; to: string }> {
    if (!this.smtpUrl)
      throw new MailNotConfigured('email is not set up: set SMTP_URL (and SMTP_FROM) to send invoices');
    const to = invoice.client.email;
    if (!to) throw new MailNotConfigured(`${invoice.client.name} has no email address to send ${invoice.number} to`);
    this.transport ??= this.makeTransport(this.smtpUrl);
    const from = this.from ?? sender?.email;
    if (!from) throw new MailNotConfigured('set SMTP_FROM (or the invoicing sender email) so invoices have a sender');
    const total = formatMoney(invoice.total - invoice.paid, invoice.currency);
    const who = sender?.name ?? 'us';
    const info = (await this.transport.sendMail({
      from,
      to,
      subject: `Invoice ${invoice.number} from ${who}`,
      text: [
        `Hello ${invoice.client.name},`,
        '',
        `please find invoice ${invoice.number} attached: ${total}, due ${invoice.dueDate}.`,
        payUrl ? `\nPay online: ${payUrl}` : '',
        sender?.paymentInstructions ? `\n${sender.paymentInstructions}` : '',
        '',
        `Thank you,\n${who}`,
      ].join('\n'),
      attachments: [{ filename: `${invoice.number}.pdf`, content: pdf, contentType: 'application/pdf' }],
    })) as { messageId: string };
    return { messageId: info.messageId, to };
  }
}
