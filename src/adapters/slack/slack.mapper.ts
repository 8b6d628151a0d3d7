import type { BlockAction, ButtonAction, SlashCommand, ViewOutput } from '@slack/bolt';
import type {
  ActionsBlock,
  AllMessageEvents,
  AppMentionEvent,
  Button,
  KnownBlock,
  ModalView,
  SectionBlock,
} from '@slack/types';
import type { ChatAddress, InboundAudio, InboundMessage, Reply } from '../chat.contract.js';
import { type CommandOptions, parseCommand } from '../core/command-parser.js';
import { renderMessages } from '../../common/markdown.js';
import { slackMrkdwn } from './slack.mrkdwn.js';

/**
 * Slack payloads <-> paios, without I/O: slash commands, mentions, direct messages and button presses
 * as InboundMessages; a Reply as Block Kit; the secret modal and what its submission carries.
 */

/** A file shared with a message, as the Events API describes it. */
export interface SlackSharedFile {
  name?: string | null;
  mimetype?: string;
  url_private_download?: string;
}

/** Fetches a private file (with the bot token); given by the adapter. */
export type SlackDownload = (url: string) => Promise<Buffer>;

/** The envelope fields of an Events API callback that the listeners see as `body`. */
export interface SlackEnvelope {
  team_id: string;
  event_id: string;
}

export const CHOICE_ACTION_PREFIX = 'paios_choice_';
/** The button that opens the modal asking for a secret; its value is the prompt's token. */
export const SECRET_ACTION = 'paios_secret';
export const SECRET_VIEW = 'paios_secret_view';

/** Slack's limits: a section's text 3000 characters, 50 blocks a message, button text 75, value 2000. */
const SECTION_MAX = 3000;
const MAX_BLOCKS = 50;

export function fromSlashCommand(command: SlashCommand, options: CommandOptions): InboundMessage {
  const parsed = parseCommand({ command: command.command, text: command.text }, options);
  return {
    platform: 'slack',
    eventId: `command:${command.trigger_id}`,
    address: { platform: 'slack', workspace: command.team_id, channel: command.channel_id },
    sender: { id: command.user_id, name: command.user_name },
    text: parsed.kind === 'message' ? parsed.text : 'help',
    agentHint: parsed.kind === 'message' ? parsed.agentHint : undefined,
    direct: command.channel_name === 'directmessage',
  };
}

/** A mention in a channel, answered in its thread (a new one under the mention if need be). */
export function fromAppMention(
  event: AppMentionEvent,
  envelope: SlackEnvelope,
  download: SlackDownload,
): InboundMessage | null {
  if (!event.user || event.bot_id) return null;
  return {
    platform: 'slack',
    eventId: envelope.event_id,
    address: {
      platform: 'slack',
      workspace: envelope.team_id,
      channel: event.channel,
      thread: event.thread_ts ?? event.ts,
    },
    sender: { id: event.user },
    text: event.text.replace(/<@[A-Z0-9]+>/g, '').trim(),
    audio: audioOf(event.files, download),
    direct: false,
  };
}

/** A direct message (with text or a shared clip); in channels paios answers mentions, not every message. */
export function fromDirectMessage(
  message: AllMessageEvents,
  envelope: SlackEnvelope,
  download: SlackDownload,
): InboundMessage | null {
  if (message.channel_type !== 'im') return null;
  if (message.subtype !== undefined && message.subtype !== 'file_share') return null;
  if (!message.user || ('bot_id' in message && message.bot_id)) return null;
  return {
    platform: 'slack',
    eventId: envelope.event_id,
    address: { platform: 'slack', workspace: envelope.team_id, channel: message.channel, thread: message.thread_ts },
    sender: { id: message.user },
    text: message.text ?? '',
    audio: audioOf(message.files, download),
    direct: true,
  };
}

/** Where a block action happened: the channel, and the thread of the message holding the button. */
export function actionAddress(body: BlockAction<ButtonAction>, threadOfMessage: boolean): ChatAddress {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return {
    platform: 'slack',
    workspace: body.team?.id ?? '',
    channel: body.channel?.id ?? '',
    thread: threadOfMessage ? (message?.thread_ts ?? message?.ts) : message?.thread_ts,
  };
}

/** A pressed choice button: the person saying its value, in the same thread. */
export function fromButtonPress(body: BlockAction<ButtonAction>, action: ButtonAction): InboundMessage | null {
  const address = actionAddress(body, true);
  if (!address.channel) return null;
  return {
    platform: 'slack',
    eventId: `action:${body.trigger_id}`,
    address,
    sender: { id: body.user.id, name: body.user.name },
    text: action.value ?? '',
    direct: address.channel.startsWith('D'),
  };
}

/** The modal a secret is typed into; the prompt's token and the address ride in its metadata. */
export function secretModal(prompt: { token: string; label: string }, address: ChatAddress): ModalView {
  return {
    type: 'modal',
    callback_id: SECRET_VIEW,
    private_metadata: JSON.stringify({ token: prompt.token, address }),
    title: { type: 'plain_text', text: 'paios vault' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'secret',
        label: { type: 'plain_text', text: prompt.label.slice(0, 2000) },
        element: { type: 'plain_text_input', action_id: 'value', min_length: 1 },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Sent to paios only; it is not posted to the conversation.' }],
      },
    ],
  };
}

/** What a submitted secret modal carries. */
export function fromSecretSubmission(
  view: ViewOutput,
  userId: string,
): { token: string; address: ChatAddress; value: string; senderId: string; direct: boolean } {
  const meta = JSON.parse(view.private_metadata) as { token: string; address: ChatAddress };
  return {
    token: meta.token,
    address: meta.address,
    value: view.state.values.secret?.value?.value ?? '',
    senderId: userId,
    direct: meta.address.channel.startsWith('D'),
  };
}

/** Reply -> Block Kit: mrkdwn sections, choice buttons, the button opening a secret modal. */
export function toBlocks(reply: Reply): { text: string; blocks: KnownBlock[] } {
  const parts = renderMessages(reply.text, slackMrkdwn, SECTION_MAX);
  const sections: SectionBlock[] = parts.map((part) => ({
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
  return { text: parts.join('\n\n').slice(0, SECTION_MAX), blocks };
}

/** The first audio or video clip shared with a message. */
function audioOf(files: SlackSharedFile[] | undefined, download: SlackDownload): InboundAudio | undefined {
  const clip = files?.find((f) => /^(audio|video)\//.test(f.mimetype ?? '') && f.url_private_download);
  if (!clip) return undefined;
  const url = clip.url_private_download!;
  return { mimeType: clip.mimetype!, filename: clip.name ?? 'clip', load: () => download(url) };
}
