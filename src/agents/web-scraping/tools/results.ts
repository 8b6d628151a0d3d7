import type { Attachment } from '../../../sdk/agent.contract.js';

/** Chat answers stay short; past this, the whole result goes along as a file. */
export const LONG_TEXT = 3_000;
export const LONG_TABLE_ROWS = 15;

export const attach = (filename: string, mimeType: string, content: string): Attachment => ({
  filename,
  mimeType,
  data: Buffer.from(content, 'utf8').toString('base64'),
});

/** RFC 4180 CSV. */
export function toCsv(rows: string[][]): string {
  const cell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A file name from a URL: host and path, safe on every system. */
export function fileStem(url: string): string {
  const u = new URL(url);
  return (
    `${u.hostname}${u.pathname}`
      .replace(/[^a-z0-9.-]+/gi, '-')
      .replace(/-+$/, '')
      .slice(0, 80) || 'page'
  );
}

export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max).trimEnd()}…` : text);

/** The first URL in a message, as the router's entities or the words say. */
export function urlIn(text: string, entities: { type: string; value?: unknown }[]): string | undefined {
  const entity = entities.find((e) => e.type === 'url');
  if (typeof entity?.value === 'string') return entity.value;
  return /\bhttps?:\/\/[^\s<>"')]+/i.exec(text)?.[0]?.replace(/[.,;:!?]+$/, '');
}
