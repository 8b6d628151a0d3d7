import type { RawFile } from '@discordjs/rest';
import {
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIInteraction,
  type APIInteractionResponse,
  type APIModalSubmission,
  type GatewayMessageCreateDispatchData,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import type { InboundAudio, InboundMessage, Reply } from '../chat.contract.js';
import { type ChatCommand, parseCommand } from '../core/command-parser.js';
import { replyFiles } from '../core/outbound.js';

/**
 * Discord payloads <-> paios, without I/O: gateway messages and interactions (slash commands,
 * buttons, the secret modal) as what paios should do; a Reply as message bodies with buttons and
 * files; the interaction responses Discord needs within 3 s.
 */

/** The slash commands paios registers (global application commands). */
export const DISCORD_COMMANDS = [
  {
    name: 'paios',
    description: 'Ask paios anything (#15 ..., @invoicing ... to pick an agent)',
    options: [{ type: 3, name: 'text', description: 'What you want', required: true }],
  },
  {
    name: 'paios-channel',
    description: 'Create a channel where every message goes to one agent',
    options: [
      { type: 4, name: 'agent', description: 'Agent number, e.g. 15', required: true, min_value: 1, max_value: 999 },
    ],
  },
];

/** Custom ids of the button and modal that take a secret; the rest is the prompt's token. */
export const SECRET_ID = 'paios-secret:';

export type DiscordDownload = (url: string) => Promise<Buffer>;

/** A request for an agent channel, by whom and where. */
export interface ChannelRequest {
  platformUserId: string;
  guildId: string | undefined;
  agentNumber: number;
}

export type DiscordInbound =
  { kind: 'message'; message: InboundMessage } | { kind: 'create-channel'; request: ChannelRequest; channelId: string };

/** Messages paios never answers: its own and other bots'. */
export function fromABot(data: GatewayMessageCreateDispatchData, botId: string | undefined): boolean {
  return !!data.author.bot || data.author.id === botId;
}

/**
 * A gateway message, if it is for paios: every direct message, every message in a channel bound to
 * an agent (`boundAgent`), and mentions of the bot elsewhere.
 */
export function fromMessageCreate(
  data: GatewayMessageCreateDispatchData,
  botId: string | undefined,
  boundAgent: number | undefined,
  download: DiscordDownload,
): DiscordInbound | null {
  if (fromABot(data, botId)) return null;
  const direct = data.guild_id === undefined;
  const mentioned = botId !== undefined && data.mentions.some((u) => u.id === botId);
  if (!direct && boundAgent === undefined && !mentioned) return null;
  const text = data.content.replace(/<@!?\d+>/g, '').trim();
  const command = parseCommand({ text }, { agentChannels: true });
  if (command.kind === 'create-channel' && data.guild_id)
    return {
      kind: 'create-channel',
      request: { platformUserId: data.author.id, guildId: data.guild_id, agentNumber: command.agentNumber },
      channelId: data.channel_id,
    };
  return {
    kind: 'message',
    message: {
      platform: 'discord',
      eventId: `message:${data.id}`,
      address: { platform: 'discord', workspace: data.guild_id ?? '', channel: data.channel_id },
      sender: { id: data.author.id, name: data.author.username },
      text,
      audio: audioOf(data, download),
      agentHint: boundAgent,
      direct,
    },
  };
}

/** Who sent an interaction, from where; the fields every InboundMessage from it shares. */
export type InteractionOrigin = Omit<InboundMessage, 'text'>;

export type DiscordInteraction =
  | { kind: 'ping' }
  | { kind: 'ignore' }
  | { kind: 'command'; origin: InteractionOrigin; command: ChatCommand }
  | { kind: 'open-secret'; origin: InteractionOrigin; token: string }
  | { kind: 'submit-secret'; origin: InteractionOrigin; token: string; value: string }
  | { kind: 'button'; origin: InteractionOrigin; customId: string };

export function readInteraction(interaction: APIInteraction): DiscordInteraction {
  if (interaction.type === InteractionType.Ping) return { kind: 'ping' };
  const user = interaction.member?.user ?? interaction.user;
  const channel = interaction.channel?.id ?? interaction.channel_id;
  if (!user || !channel) return { kind: 'ignore' };
  const origin: InteractionOrigin = {
    platform: 'discord',
    eventId: `interaction:${interaction.id}`,
    address: { platform: 'discord', workspace: interaction.guild_id ?? '', channel },
    sender: { id: user.id, name: user.username },
    direct: interaction.guild_id === undefined,
  };
  if (interaction.type === InteractionType.ApplicationCommand && 'options' in interaction.data) {
    const options = Object.fromEntries(
      (interaction.data.options ?? []).map((o) => [o.name, 'value' in o ? o.value : undefined]),
    );
    const text = String(options.text ?? options.agent ?? '');
    return { kind: 'command', origin, command: parseCommand({ command: interaction.data.name, text }) };
  }
  if (interaction.type === InteractionType.MessageComponent) {
    const customId = interaction.data.custom_id;
    if (customId.startsWith(SECRET_ID)) return { kind: 'open-secret', origin, token: customId.slice(SECRET_ID.length) };
    return { kind: 'button', origin, customId };
  }
  if (interaction.type === InteractionType.ModalSubmit && interaction.data.custom_id.startsWith(SECRET_ID))
    return {
      kind: 'submit-secret',
      origin,
      token: interaction.data.custom_id.slice(SECRET_ID.length),
      value: modalValue(interaction.data),
    };
  return { kind: 'ignore' };
}

export function pong(): APIInteractionResponse {
  return { type: InteractionResponseType.Pong };
}

/** "Thinking...": the answer follows as an edit; private ones stay visible to the sender only. */
export function deferredReply(ephemeral = false): APIInteractionResponse {
  return ephemeral
    ? { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } }
    : { type: InteractionResponseType.DeferredChannelMessageWithSource };
}

export function deferredUpdate(): APIInteractionResponse {
  return { type: InteractionResponseType.DeferredMessageUpdate };
}

export function privateAnswer(content: string): APIInteractionResponse {
  return { type: InteractionResponseType.ChannelMessageWithSource, data: { content, flags: MessageFlags.Ephemeral } };
}

/** The modal a secret is typed into; its custom id carries the prompt's token. */
export function secretModal(prompt: { token: string; label: string }): APIInteractionResponse {
  return {
    type: InteractionResponseType.Modal,
    data: {
      custom_id: `${SECRET_ID}${prompt.token}`,
      title: 'paios vault',
      components: [
        {
          type: ComponentType.Label,
          label: prompt.label.slice(0, 45),
          description: 'Sent to paios only; it is not posted to the conversation.',
          component: { type: ComponentType.TextInput, custom_id: 'value', style: TextInputStyle.Short, required: true },
        },
      ],
    },
  };
}

/**
 * One message of a reply: its (rendered) content, and for the last part the buttons (their custom
 * ids, from the button store, in order), the secret button and the files.
 */
export function messageBody(
  content: string,
  reply: Reply | undefined,
  buttonIds: string[],
): RESTPostAPIChannelMessageJSONBody {
  const body: RESTPostAPIChannelMessageJSONBody = { content, allowed_mentions: { parse: [] } };
  if (!reply) return body;
  const components: APIActionRowComponent<APIButtonComponent>[] = [];
  const buttons = (reply.buttons ?? []).slice(0, 5);
  if (buttons.length)
    components.push({
      type: ComponentType.ActionRow,
      components: buttons.map((b, i) => ({
        type: ComponentType.Button,
        style:
          b.style === 'danger'
            ? ButtonStyle.Danger
            : b.style === 'primary'
              ? ButtonStyle.Primary
              : ButtonStyle.Secondary,
        label: b.label.slice(0, 80),
        custom_id: buttonIds[i] ?? '',
      })),
    });
  if (reply.secretPrompt) {
    const open: APIButtonComponent = {
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: `Enter ${reply.secretPrompt.label.toLowerCase()}`.slice(0, 80),
      custom_id: `${SECRET_ID}${reply.secretPrompt.token}`,
    };
    components.push({ type: ComponentType.ActionRow, components: [open] });
  }
  if (components.length) body.components = components;
  const files = rawFiles(reply);
  if (files.length) body.attachments = files.map((f, id) => ({ id, filename: f.name }));
  return body;
}

/** The reply's files as @discordjs/rest uploads them (multipart, matched to `attachments` by index). */
export function rawFiles(reply: Reply): RawFile[] {
  return replyFiles(reply).map((a) => ({
    name: a.filename,
    data: Buffer.from(a.data, 'base64'),
    contentType: a.mimeType,
  }));
}

/** Audio attachments and voice messages (OGG/Opus) become audio to transcribe. */
function audioOf(data: GatewayMessageCreateDispatchData, download: DiscordDownload): InboundAudio | undefined {
  const voice = ((data.flags ?? 0) & MessageFlags.IsVoiceMessage) !== 0;
  const clip = data.attachments.find((a) => voice || /^(audio|video)\//.test(a.content_type ?? ''));
  if (!clip) return undefined;
  return {
    mimeType: clip.content_type ?? 'audio/ogg',
    filename: clip.filename,
    durationSeconds: clip.duration_secs ?? undefined,
    load: () => download(clip.url),
  };
}

/** The text typed into a secret modal (a Label holding a TextInput; older clients send an action row). */
function modalValue(data: APIModalSubmission): string {
  for (const c of data.components) {
    if (c.type === ComponentType.Label && c.component.type === ComponentType.TextInput) return c.component.value;
    if (c.type === ComponentType.ActionRow)
      for (const input of c.components) if (input.custom_id === 'value') return input.value;
  }
  return '';
}
