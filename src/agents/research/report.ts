import PDFDocument from 'pdfkit';
import { collectPdf } from '../../sdk/pdf.js';
import type { Attachment } from '../../sdk/agent.contract.js';
import type { Source } from './passages.js';

/** Answers longer than this come with the report as files too (chat messages get cut). */
export const LONG_ANSWER_CHARS = 1200;

export interface Report {
  title: string;
  /** Markdown body (an answer, or a table). */
  body: string;
  sources: Source[];
  /** Read-failures and the like, listed at the end. */
  notes?: string[];
  at: Date;
}

export function reportMarkdown(r: Report): string {
  const lines = [`# ${r.title}`, '', `_Researched ${r.at.toISOString().slice(0, 16).replace('T', ' ')} UTC_`, ''];
  lines.push(r.body, '', '## Sources', '');
  for (const s of r.sources) lines.push(`${s.n}. [${s.title || s.url}](${s.url})`);
  if (r.notes?.length) lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

/** The report as a PDF: the title, the body as text (tables in a fixed-width font), the sources linked. */
export function reportPdf(r: Report): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: r.title, Author: 'paios research' } });
  const done = collectPdf(doc);
  doc.font('Helvetica-Bold').fontSize(18).text(r.title);
  doc.moveDown(0.3).font('Helvetica').fontSize(9).fillColor('#555555');
  doc.text(`Researched ${r.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`).fillColor('black');
  doc.moveDown();
  for (const line of r.body.split('\n')) {
    if (line.startsWith('|')) doc.font('Courier').fontSize(8).text(line);
    else if (/^#+\s/.test(line)) doc.font('Helvetica-Bold').fontSize(12).text(line.replace(/^#+\s/, ''));
    else doc.font('Helvetica').fontSize(10).text(line);
  }
  doc.moveDown().font('Helvetica-Bold').fontSize(12).text('Sources');
  doc.font('Helvetica').fontSize(9);
  for (const s of r.sources) doc.fillColor('#1a4fa0').text(`[${s.n}] ${s.title || s.url} — ${s.url}`, { link: s.url });
  doc.fillColor('black');
  if (r.notes?.length) {
    doc.moveDown().font('Helvetica-Bold').fontSize(12).text('Notes');
    doc.font('Helvetica').fontSize(9);
    for (const n of r.notes) doc.text(`• ${n}`);
  }
  doc.end();
  return done;
}

const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 50) || 'research';

/** The report as a Markdown file and a PDF, ready to attach. */
export async function reportAttachments(r: Report): Promise<Attachment[]> {
  const name = slug(r.title);
  return [
    { filename: `${name}.md`, mimeType: 'text/markdown', data: Buffer.from(reportMarkdown(r)).toString('base64') },
    { filename: `${name}.pdf`, mimeType: 'application/pdf', data: (await reportPdf(r)).toString('base64') },
  ];
}
