import type { Attachment } from '../../sdk/agent.contract.js';
import type { Reply } from '../chat.contract.js';

/** Small pieces every adapter needs around a Reply and the files it sends or receives. */

/** The files a reply carries: its attachments, then the spoken answer. */
export function replyFiles(reply: Reply): Attachment[] {
  return [...(reply.attachments ?? []), ...(reply.voice ? [reply.voice] : [])];
}

/** Downloads a file a person shared (a voice note); the error names the platform and status only. */
export async function downloadFile(
  url: string,
  platform: string,
  headers: Record<string, string> = {},
): Promise<Buffer> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${platform} file download answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
