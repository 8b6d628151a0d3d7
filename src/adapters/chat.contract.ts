import type { ChatAddress, Platform, Reply } from '../orchestrator/turn/turn.contract.js';

/**
 * The platform-neutral shapes every chat adapter speaks (they belong to the turn, which owns them).
 * An adapter turns a platform event into an InboundMessage, hands it to the ChatGateway with a way
 * to answer, and renders the Reply it gets back natively (Block Kit, Telegram HTML, Discord embeds),
 * uploading files the platform's way.
 */
export type {
  ChatActivity,
  ChatAddress,
  ChatCapabilities,
  HeardAudio,
  InboundAudio,
  InboundMessage,
  Platform,
  Reply,
  ReplyButton,
  Responder,
} from '../orchestrator/turn/turn.contract.js';

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
