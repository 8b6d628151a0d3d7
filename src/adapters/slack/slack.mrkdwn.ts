import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import type { Reply } from '../chat.contract.js';
import { splitText } from '../core/text.js';

/**
 * Reply -> Block Kit. Slack's mrkdwn is not Markdown: *bold*, _italic_, ~strike~, <url|label> links,
 * no headings. Code spans and fences are the same and are left untouched.
 */
export function toMrkdwn(markdown: string): string {
  // Split out code so that nothing inside it is rewritten.
  return markdown
    .split(/(```[\s\S]*?```|`[^`\n]+`)/g)
    .map((part, i) => (i % 2 === 1 ? part : convertProse(part)))
    .join('');
}

function convertProse(text: string): string {
  return text
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
    .replace(/^(\s*)&gt;(\s?)/gm, '$1>$2') // block quotes stay quotes
    .replace(
      /\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g,
      (_m, label: string, url: string) => `<${url}|${label.replace(/[|]/g, '/')}>`,
    )
    .replace(/^#{1,6}\s+(.+)$/gm, '*$1*')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/__(.+?)__/g, '*$1*')
    .replace(/~~(.+?)~~/g, '~$1~')
    .replace(/^(\s*)[-*]\s+/gm, '$1• ');
}

/** Slack's limits: a section's text 3000 characters, 50 blocks a message, button text 75, value 2000. */
const SECTION_MAX = 3000;
const MAX_BLOCKS = 50;

export const CHOICE_ACTION_PREFIX = 'paios_choice_';
/** The button that opens the modal asking for a secret; its value is the prompt's token. */
export const SECRET_ACTION = 'paios_secret';
export const SECRET_VIEW = 'paios_secret_view';

export function toBlocks(reply: Reply): { text: string; blocks: KnownBlock[] } {
  const mrkdwn = toMrkdwn(reply.text);
  const sections: SectionBlock[] = splitText(mrkdwn, SECTION_MAX).map((part) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: part || ' ', verbatim: true },
  }));
  const blocks: KnownBlock[] = sections.slice(0, MAX_BLOCKS - 1);
  if (reply.buttons?.length) {
    const elements: Button[] = reply.buttons.slice(0, 25).map((b, i) => ({
      type: 'button',
      action_id: `${CHOICE_ACTION_PREFIX}${i}`,
      text: { type: 'plain_text', text: b.label.slice(0, 75), emoji: true },
      value: b.value.slice(0, 2000),
      ...(b.style ? { style: b.style } : {}),
    }));
    const actions: ActionsBlock = { type: 'actions', block_id: 'paios_choices', elements };
    blocks.push(actions);
  }
  if (reply.secretPrompt) {
    const open: Button = {
      type: 'button',
      action_id: SECRET_ACTION,
      text: { type: 'plain_text', text: `Enter ${reply.secretPrompt.label.toLowerCase()}`.slice(0, 75) },
      value: reply.secretPrompt.token,
      style: 'primary',
    };
    blocks.push({ type: 'actions', block_id: 'paios_secret', elements: [open] });
  }
  // The plain `text` is what notifications and screen readers show.
  return { text: mrkdwn.slice(0, 3000), blocks };
}
