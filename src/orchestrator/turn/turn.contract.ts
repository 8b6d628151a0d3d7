import type { Attachment, ChoiceButton } from '../../sdk/agent.contract.js';

/**
 * The platform-neutral shapes a turn speaks: a chat adapter turns a platform event into an
 * InboundMessage, hands it to the ChatGateway with a Responder (send, show activity), and renders the
 * Reply natively. What differs per platform and matters to the turn is declared as ChatCapabilities.
 */

export type Platform = 'slack' | 'telegram' | 'discord' | 'console';

/** Where a message came from, and so where its answer (or a scheduled digest) goes. */
export interface ChatAddress {
  platform: Platform;
  /** Slack team id, Discord guild id; '' where the platform has none (Telegram, DMs on Discord). */
  workspace: string;
  /** Slack channel id, Telegram chat id, Discord channel id, console: the paios user id. */
  channel: string;
  /** Slack thread_ts, Telegram message_thread_id (forum topic), Discord thread id. */
  thread?: string;
}

export interface InboundAudio {
  /** Fetches the audio bytes (Telegram getFile, Slack file URL); the chat gateway calls it once. */
  load(): Promise<Buffer>;
  /** As the platform reports it, e.g. audio/ogg for Telegram voice notes. */
  mimeType: string;
  filename: string;
  durationSeconds?: number;
}

/**
 * The audio a turn hears: fetched by the chat gateway before the turn starts, so that the turn never
 * calls back into the adapter but to answer. `data` is null when the platform would not give it.
 */
export interface HeardAudio extends Omit<InboundAudio, 'load'> {
  data: Buffer | null;
}

export interface InboundMessage {
  platform: Platform;
  /**
   * The platform's id of this event (Slack event_id or a slash command's trigger id, Telegram
   * update_id, Discord interaction or message id). A second delivery with the same id is dropped.
   */
  eventId: string;
  address: ChatAddress;
  /** The platform account that wrote it. */
  sender: { id: string; name?: string };
  text?: string;
  audio?: InboundAudio;
  /** Send to this agent without addressing it: a channel bound to an agent, or `/invoice` in Slack. */
  agentHint?: number;
  /** A direct message (private to the sender and paios). */
  direct: boolean;
  /** The platform's id of the message itself (Telegram message_id), when it can be deleted. */
  messageId?: string;
}

/** A message as the turn takes it: its audio, if any, already fetched. */
export interface TurnMessage extends Omit<InboundMessage, 'audio'> {
  audio?: HeardAudio;
}

/** Pressing it says `value` as if the person had typed it (e.g. "#15 create_invoice ..."). */
export type ReplyButton = ChoiceButton;

export interface Reply {
  /** Markdown: **bold**, _italic_, `code`, fenced blocks, [links](url), "- " lists. */
  text: string;
  attachments?: Attachment[];
  buttons?: ReplyButton[];
  /** Only the sender should see it (Slack ephemeral, Discord ephemeral; Telegram: sent to the DM). */
  ephemeral?: boolean;
  /** A spoken version of the answer (OGG/Opus) for a message that came in as voice. */
  voice?: Attachment;
  /** Nothing was done: the agent failed, or paios asked back (the command line exits 1). */
  unsuccessful?: boolean;
  /**
   * Paios asks for a secret. Slack and Discord show a button opening a modal whose submission goes to
   * ChatGateway.submitSecret with this token; elsewhere the person's next message answers it.
   */
  secretPrompt?: {
    token: string;
    label: string;
    /** The request was for something else (the vault was locked): it can be made again once answered. */
    repeat?: boolean;
  };
  /** The message that was answered held a secret: delete it where the platform allows (Telegram). */
  deleteInbound?: boolean;
  /** Delete this answer after so many seconds where the platform allows (Telegram): it shows a secret. */
  deleteAfterSeconds?: number;
}

/** Lets the turn show progress while it works ("typing", "record_voice", "working..."). */
export type ChatActivity = 'typing' | 'transcribing' | 'recording_voice';

/**
 * The outlet of a turn: the only way the pipeline reaches the platform. It sends the reply and shows
 * progress; the adapter decides thread, ephemeral, upload.
 */
export interface Responder {
  reply(reply: Reply): Promise<void>;
  /** Optional progress signal; adapters that cannot show it ignore it. */
  activity?(what: ChatActivity): Promise<void>;
}

/**
 * What a platform can do, declared by its adapter, so the turn never asks which platform it is on.
 */
export interface ChatCapabilities {
  /**
   * Who the sender is: `paios-user` (the sender id is a signed-in paios user, as in the console),
   * `workspace-account` (account ids are unique within a workspace, as in Slack) or `global-account`.
   */
  senders: 'paios-user' | 'workspace-account' | 'global-account';
  /**
   * How a secret paios asks for is entered: in a `modal` the reply's button opens, or as the next
   * message, which the adapter deletes at once (`next-message-deleted`) or which is typed without
   * echo (`next-message-hidden`).
   */
  secretEntry: 'modal' | 'next-message-deleted' | 'next-message-hidden';
  /** The adapter delivers `Reply.voice` (a spoken answer to a voice note). */
  supportsVoiceReply: boolean;
}
