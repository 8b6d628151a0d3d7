import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Attachment, ChoiceButton, SecretPrompt, ToolResult } from '../../sdk/agent.contract.js';

/** The parts of a tool call's outcome paios uses, whichever MCP server produced it. */
export interface ToolOutcome {
  ok: boolean;
  text: string;
  data?: unknown;
  attachments: Attachment[];
  events: { name: string; payload: Record<string, unknown> }[];
  nextSuggestedActions?: string[];
  buttons?: ChoiceButton[];
  secretPrompt?: SecretPrompt;
  /** The server says this result holds a secret (`_meta.paios.sensitive`). */
  sensitive: boolean;
}

interface PaiosResultMeta {
  events?: ToolOutcome['events'];
  nextSuggestedActions?: string[];
  buttons?: ChoiceButton[];
  secretPrompt?: SecretPrompt;
  sensitive?: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A built-in tool's result as MCP content: text, files as embedded resources, data as structured content. */
export function toCallToolResult(result: ToolResult): CallToolResult {
  const content: CallToolResult['content'] = [{ type: 'text', text: result.text }];
  for (const a of result.attachments ?? []) {
    if (a.mimeType.startsWith('image/'))
      content.push({ type: 'image', data: a.data, mimeType: a.mimeType, _meta: { filename: a.filename } });
    else
      content.push({
        type: 'resource',
        resource: { uri: `attachment:///${encodeURIComponent(a.filename)}`, mimeType: a.mimeType, blob: a.data },
      });
  }
  const meta: PaiosResultMeta = {
    events: result.events,
    nextSuggestedActions: result.nextSuggestedActions,
    buttons: result.buttons,
    secretPrompt: result.secretPrompt,
    sensitive: result.sensitive,
  };
  return {
    content,
    ...(result.data !== undefined
      ? { structuredContent: isPlainObject(result.data) ? result.data : { value: result.data } }
      : {}),
    _meta: { paios: meta },
  };
}

export function toolErrorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** Reads any MCP server's tool result (built-in or external) back into paios' terms. */
export function fromCallToolResult(result: CallToolResult): ToolOutcome {
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  for (const item of result.content ?? []) {
    if (item.type === 'text') texts.push(item.text);
    else if (item.type === 'image') {
      const filename =
        typeof item._meta?.filename === 'string' ? item._meta.filename : `image-${attachments.length + 1}`;
      attachments.push({ filename, mimeType: item.mimeType, data: item.data });
    } else if (item.type === 'resource' && 'blob' in item.resource) {
      const name = decodeURIComponent(item.resource.uri.split('/').pop() ?? 'file');
      attachments.push({
        filename: name,
        mimeType: item.resource.mimeType ?? 'application/octet-stream',
        data: item.resource.blob,
      });
    }
  }
  const meta = (result._meta?.paios ?? {}) as PaiosResultMeta;
  const structured = result.structuredContent;
  const data =
    structured && Object.keys(structured).length === 1 && 'value' in structured ? structured.value : structured;
  return {
    ok: result.isError !== true,
    text: texts.join('\n'),
    data,
    attachments,
    events: meta.events ?? [],
    nextSuggestedActions: meta.nextSuggestedActions,
    buttons: Array.isArray(meta.buttons) ? meta.buttons : undefined,
    secretPrompt:
      meta.secretPrompt && typeof meta.secretPrompt.tool === 'string' && typeof meta.secretPrompt.parameter === 'string'
        ? meta.secretPrompt
        : undefined,
    sensitive: meta.sensitive === true,
  };
}
