import PDFDocument from 'pdfkit';
import { collectPdf } from '../../sdk/pdf.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Invoice } from './invoice.types.js';
import type { InvoicingConfig } from './invoicing.config.js';
import { formatMoney, quantityText } from '../../sdk/money.js';

const GREY = '#555555';

/** Renders an invoice as a one-document PDF: sender and client, lines, totals, due date, how to pay. */
export function renderInvoicePdf(invoice: Invoice, sender: InvoicingConfig['sender']): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `Invoice ${invoice.number}`, Author: sender?.name ?? 'paios' },
  });
  const done = collectPdf(doc);
  const money = (v: bigint) => formatMoney(v, invoice.currency);
  const left = 50;
  const right = 545;

  doc.fontSize(22).text('Invoice', left, 50);
  doc.fontSize(10).fillColor(GREY).text(invoice.number, left, 78);
  doc.fillColor('black');

  // Sender (right) and client (left).
  const senderLines = [
    sender?.name,
    sender?.address,
    sender?.email,
    sender?.taxId ? `Tax ID ${sender.taxId}` : undefined,
  ].filter(Boolean) as string[];
  doc.fontSize(10).text(senderLines.join('\n') || ' ', 300, 50, { width: right - 300, align: 'right' });
  doc.fontSize(9).fillColor(GREY).text('Bill to', left, 120);
  const c = invoice.client;
  doc
    .fillColor('black')
    .fontSize(11)
    .text(
      [c.name, c.address, c.email, c.taxId ? `Tax ID ${c.taxId}` : undefined].filter(Boolean).join('\n'),
      left,
      134,
    );
  doc
    .fontSize(10)
    .text(`Issued ${invoice.issueDate}\nDue ${invoice.dueDate}`, 300, 134, { width: right - 300, align: 'right' });

  // Lines.
  let y = 220;
  const cols = { description: left, quantity: 300, price: 360, tax: 440, total: 480 };
  const header = (label: string, x: number, width: number, align: 'left' | 'right' = 'right') =>
    doc.fontSize(9).fillColor(GREY).text(label, x, y, { width, align });
  header('Description', cols.description, 240, 'left');
  header('Qty', cols.quantity, 50);
  header('Price', cols.price, 70);
  header('Tax', cols.tax, 35);
  header('Amount', cols.total, right - cols.total);
  y += 16;
  doc.moveTo(left, y).lineTo(right, y).strokeColor('#cccccc').stroke();
  y += 6;
  doc.fillColor('black').fontSize(10);
  for (const line of invoice.lines) {
    const height = doc.heightOfString(line.description, { width: 240 });
    doc.text(line.description, cols.description, y, { width: 240 });
    doc.text(quantityText(line.quantity), cols.quantity, y, { width: 50, align: 'right' });
    doc.text(money(line.unitPrice), cols.price, y, { width: 70, align: 'right' });
    doc.text(`${line.taxRate / 100}%`, cols.tax, y, { width: 35, align: 'right' });
    doc.text(money(line.net - line.discount), cols.total, y, { width: right - cols.total, align: 'right' });
    y += Math.max(height, 14) + 6;
  }
  doc.moveTo(left, y).lineTo(right, y).strokeColor('#cccccc').stroke();
  y += 10;

  // Totals.
  const total = (label: string, value: string, bold = false) => {
    doc.fontSize(bold ? 12 : 10).text(label, 330, y, { width: 140, align: 'right' });
    doc.text(value, cols.total, y, { width: right - cols.total, align: 'right' });
    y += bold ? 20 : 15;
  };
  total('Subtotal', money(invoice.subtotal));
  if (invoice.discount > 0n) total(`Discount ${invoice.discountRate / 100}%`, `-${money(invoice.discount)}`);
  total('Tax', money(invoice.tax));
  total('Total', money(invoice.total), true);
  if (invoice.paid > 0n) {
    total('Paid', money(invoice.paid));
    total('Amount due', money(invoice.total - invoice.paid), true);
  }

  y += 20;
  if (sender?.paymentInstructions) {
    doc.fontSize(9).fillColor(GREY).text('How to pay', left, y);
    doc
      .fillColor('black')
      .fontSize(10)
      .text(sender.paymentInstructions, left, y + 14, { width: right - left });
  }
  if (invoice.notes)
    doc
      .fontSize(9)
      .fillColor(GREY)
      .text(invoice.notes, left, 760, { width: right - left });
  doc.end();
  return done;
}

/** Renders and keeps the PDF under <dataDir>/invoices/<user>/<number>.pdf; returns path and bytes. */
export async function storeInvoicePdf(
  dataDir: string,
  userId: string,
  invoice: Invoice,
  sender: InvoicingConfig['sender'],
): Promise<{ path: string; pdf: Buffer }> {
  const pdf = await renderInvoicePdf(invoice, sender);
  const dir = join(dataDir, 'invoices', userId);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${invoice.number.replace(/[^\w.-]/g, '_')}.pdf`);
  writeFileSync(path, pdf);
  return { path, pdf };
}
