import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { WorkflowRuns1764100000000 } from './1764100000000-workflow-runs.js';
import { Invoicing1764200000000 } from './1764200000000-invoicing.js';
import { Projects1764300000000 } from './1764300000000-projects.js';
import { InvoicePaymentLinks1764400000000 } from './1764400000000-invoice-payment-links.js';
import { InvoiceReminders1764500000000 } from './1764500000000-invoice-reminders.js';
import { Chat1764600000000 } from './1764600000000-chat.js';
import { DiscordChannels1764650000000 } from './1764650000000-discord-channels.js';
import { Vault1764700000000 } from './1764700000000-vault.js';
import { EventOutbox1764800000000 } from './1764800000000-event-outbox.js';
import { ScheduleRuns1764810000000 } from './1764810000000-schedule-runs.js';
import { ConversationState1764830000000 } from './1764830000000-conversation-state.js';
import { VoiceSettings1764831000000 } from './1764831000000-voice-settings.js';
import { Owner1764832000000 } from './1764832000000-owner.js';
import { ConversationTurns1764840000000 } from './1764840000000-conversation-turns.js';
import { LlmUsage1764845000000 } from './1764845000000-llm-usage.js';
import { PageWatches1764846000000 } from './1764846000000-page-watches.js';
import { SocialPosts1764848000000 } from './1764848000000-social-posts.js';
import { Publishing1764849000000 } from './1764849000000-publishing.js';
import { PageWatchChanges1764850000000 } from './1764850000000-page-watch-changes.js';

/** Listed explicitly (not globbed) so that the same list works from src/ under Jest and from dist/. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  WorkflowRuns1764100000000,
  Invoicing1764200000000,
  Projects1764300000000,
  InvoicePaymentLinks1764400000000,
  InvoiceReminders1764500000000,
  Chat1764600000000,
  DiscordChannels1764650000000,
  Vault1764700000000,
  EventOutbox1764800000000,
  ScheduleRuns1764810000000,
  ConversationState1764830000000,
  VoiceSettings1764831000000,
  Owner1764832000000,
  ConversationTurns1764840000000,
  LlmUsage1764845000000,
  PageWatches1764846000000,
  SocialPosts1764848000000,
  Publishing1764849000000,
  PageWatchChanges1764850000000,
];
