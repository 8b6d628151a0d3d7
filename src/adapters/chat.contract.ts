import type { Attachment, ChoiceButton } from '../sdk/agent.contract.js';

/**
 * The platform-neutral shapes every chat adapter speaks. An adapter turns a platform event into an
 * InboundMessage, hands it to the ChatGateway with a way to answer, and renders the Reply it gets back
 * natively (Block Kit, Telegram HTML, Discord embeds), uploading files the platform's way.
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
  /** Fetches the audio bytes (Telegram getFile, Slack/Discord file URL); called once. */
  load(): Promise<Buffer>;
  /** As the platform reports it, e.g. audio/ogg for Telegram voice notes. */
  mimeType: string;
  filename: string;
  durationSeconds?: number;
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

/** Lets the gateway show progress while it works ("typing", "record_voice", "working..."). */
export type ChatActivity = 'typing' | 'transcribing' | 'recording_voice';

/** How the gateway answers one inbound message: the adapter decides thread, ephemeral, upload. */
export interface Responder {
  reply(reply: Reply): Promise<void>;
  /** Optional progress signal; adapters that cannot show it ignore it. */
  activity?(what: ChatActivity): Promise<void>;
}

export type AdapterState = 'disabled' | 'starting' | 'ready' | 'retrying' | 'stopped';

export interface AdapterStatus {
  platform: Platform;
  state: AdapterState;
  /** Why the last start attempt failed (never includes a token). */
  lastError?: string;
  /** Inbound modes that are live: 'http', 'socket-mode', 'polling', 'gateway', 'webhook'. */
  modes: string[];
}

/**
 * What every adapter provides besides its inbound handling: outbound delivery to an address
 * (scheduled digests, follow-ups from jobs, in any process) and its state for health.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  status(): AdapterStatus;
  send(address: ChatAddress, reply: Reply): Promise<void>;
}
