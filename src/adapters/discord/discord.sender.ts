import type { Logger } from '@nestjs/common';
import type { REST } from '@discordjs/rest';
import {
  ChannelType,
  MessageFlags,
  Routes,
  type APIChannel,
  type APIInteraction,
  type APIInteractionResponse,
  type APIMessage,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import type { RawFile } from '@discordjs/rest';
import type { Reply } from '../chat.contract.js';
import type { ButtonStore } from '../core/button-store.js';
import { ChannelPacer } from '../core/channel-pacer.js';
import type { ChannelCreator } from './discord-agent-channels.service.js';
import { toDiscordMessages } from './discord.markdown.js';
import { messageBody, rawFiles } from './discord.mapper.js';

/** Discord allows five messages per five seconds in a channel; one a second stays clear of it. */
const PER_CHANNEL_INTERVAL_MS = 1000;

/**
 * Delivers Replies the Discord way: markdown split into messages of 2000 characters, buttons (values
 * kept in the button store) and files on the last one, to a channel or as an interaction's follow-up;
 * channel messages paced per channel. @discordjs/rest waits out 429s (retry_after) by itself.
 */
export class DiscordSender implements ChannelCreator {
  private readonly pacer = new ChannelPacer(PER_CHANNEL_INTERVAL_MS);

  constructor(
    private readonly rest: REST,
    private readonly buttons: ButtonStore,
    private readonly logger: Logger,
    private readonly scrub: (text: string) => string,
  ) {}

  /** Posts a reply to a channel; a reply showing a secret is deleted again after its time. */
  async post(channelId: string, reply: Reply): Promise<void> {
    const sent: string[] = [];
    for (const { body, files } of await this.messages(reply)) {
      const message = (await this.pacer.run(channelId, () =>
        this.rest.post(Routes.channelMessages(channelId), { body, files }),
      )) as APIMessage | undefined;
      if (message?.id) sent.push(message.id);
    }
    if (reply.deleteAfterSeconds && sent.length) {
      // A revealed secret does not stay in the DM (the bot may delete its own messages).
      const timer = setTimeout(() => void this.deleteMessages(channelId, sent), reply.deleteAfterSeconds * 1000);
      timer.unref();
    }
  }

  /**
   * Answers an interaction: the first part replaces the deferred "thinking..." message when
   * `editOriginal`, the rest follow up; private answers go as ephemeral follow-ups.
   */
  async followUp(
    interaction: APIInteraction,
    reply: Reply,
    editOriginal: boolean,
    ephemeral = reply.ephemeral,
  ): Promise<void> {
    const appId = interaction.application_id;
    const original = Routes.webhookMessage(appId, interaction.token, '@original');
    for (const [i, { body, files }] of (await this.messages(reply)).entries()) {
      if (i === 0 && editOriginal && !ephemeral) {
        await this.rest.patch(original, { body, files });
        continue;
      }
      // A deferred public answer cannot turn private: remove it and answer privately instead.
      if (i === 0 && editOriginal && ephemeral) await this.rest.delete(original).catch(() => undefined);
      await this.rest.post(Routes.webhook(appId, interaction.token), {
        body: { ...body, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) },
        files,
        auth: false,
      });
    }
  }

  /** The initial response to an interaction that came over the gateway. */
  async respond(interaction: APIInteraction, response: APIInteractionResponse): Promise<void> {
    await this.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: response,
      auth: false,
    });
  }

  async typing(channelId: string): Promise<void> {
    await this.rest.post(Routes.channelTyping(channelId)).catch(() => undefined);
  }

  /** The DM channel with a person, for private answers to something said in a shared channel. */
  async dmChannel(userId: string): Promise<string> {
    const dm = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
    return dm.id;
  }

  async createTextChannel(guildId: string, channel: { name: string; topic: string; reason: string }): Promise<string> {
    const created = (await this.rest.post(Routes.guildChannels(guildId), {
      body: { name: channel.name, type: ChannelType.GuildText, topic: channel.topic },
      reason: channel.reason,
    })) as APIChannel;
    return created.id;
  }

  /** A reply as the messages to send: every part's content, with buttons and files on the last. */
  private async messages(reply: Reply): Promise<{ body: RESTPostAPIChannelMessageJSONBody; files: RawFile[] }[]> {
    const parts = toDiscordMessages(reply.text);
    const buttonIds: string[] = [];
    for (const b of (reply.buttons ?? []).slice(0, 5)) buttonIds.push(await this.buttons.put(b.value));
    return parts.map((content, i) => {
      const last = i === parts.length - 1;
      return { body: messageBody(content, last ? reply : undefined, buttonIds), files: last ? rawFiles(reply) : [] };
    });
  }

  private async deleteMessages(channelId: string, ids: string[]): Promise<void> {
    for (const id of ids)
      await this.rest
        .delete(Routes.channelMessage(channelId, id))
        .catch((err: unknown) => this.logger.warn(`could not delete message ${id}: ${this.scrub(String(err))}`));
  }
}
