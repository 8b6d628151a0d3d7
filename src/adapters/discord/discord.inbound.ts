import type { Logger } from '@nestjs/common';
import type { APIInteraction, APIInteractionResponse, GatewayMessageCreateDispatchData } from 'discord-api-types/v10';
import type { InboundMessage, Reply, Responder } from '../chat.contract.js';
import type { ButtonStore } from '../core/button-store.js';
import type { ChatGateway } from '../core/chat-gateway.service.js';
import type { InFlight } from '../core/shutdown.js';
import type { DiscordAgentChannels } from './discord-agent-channels.service.js';
import {
  type ChannelRequest,
  deferredReply,
  deferredUpdate,
  type DiscordDownload,
  fromABot,
  fromMessageCreate,
  type InteractionOrigin,
  pong,
  privateAnswer,
  readInteraction,
  secretModal,
} from './discord.mapper.js';
import type { DiscordSender } from './discord.sender.js';

/**
 * What paios does with Discord's events: gateway messages and interactions are mapped
 * (discord.mapper), answered within Discord's deadline, and handed to the gateway in the background;
 * channel requests go to DiscordAgentChannels.
 */
export class DiscordInbound {
  constructor(
    private readonly gateway: ChatGateway,
    private readonly sender: DiscordSender,
    private readonly channels: DiscordAgentChannels,
    private readonly buttons: ButtonStore,
    private readonly inFlight: InFlight,
    private readonly download: DiscordDownload,
    private readonly logger: Logger,
    private readonly scrub: (text: string) => string,
  ) {}

  async onMessage(data: GatewayMessageCreateDispatchData, botId: string | undefined): Promise<void> {
    if (fromABot(data, botId)) return;
    const bound = data.guild_id === undefined ? undefined : await this.channels.agentFor(data.channel_id);
    const inbound = fromMessageCreate(data, botId, bound, this.download);
    if (!inbound) return;
    if (inbound.kind === 'create-channel') {
      await this.sender.post(inbound.channelId, { text: await this.createChannel(inbound.request) });
      return;
    }
    const msg = inbound.message;
    this.dispatch(msg, {
      reply: async (reply) => {
        // Private answers in a shared channel go to the person's DMs instead.
        const channel =
          reply.ephemeral && !msg.direct ? await this.sender.dmChannel(msg.sender.id) : msg.address.channel;
        await this.sender.post(channel, reply);
      },
      activity: () => this.sender.typing(msg.address.channel),
    });
  }

  /**
   * An interaction (HTTP, signature checked; or from the gateway): the answer Discord needs within
   * 3 s, with the work continuing after it. Nothing is sent about it before `acknowledged` settles:
   * the initial response must reach Discord first.
   */
  async onInteraction(
    interaction: APIInteraction,
    acknowledged: Promise<unknown> = Promise.resolve(),
  ): Promise<APIInteractionResponse> {
    const followUp = (reply: Reply, editOriginal: boolean, ephemeral?: boolean) =>
      acknowledged.then(() => this.sender.followUp(interaction, reply, editOriginal, ephemeral));
    const event = readInteraction(interaction);
    switch (event.kind) {
      case 'ping':
        return pong();
      case 'ignore':
        return deferredUpdate();
      case 'command': {
        const command = event.command;
        if (command.kind === 'create-channel') {
          const request = { platformUserId: event.origin.sender.id, guildId: interaction.guild_id, ...command };
          this.inFlight.track(this.createChannel(request).then((text) => followUp({ text }, true)));
          return deferredReply(true);
        }
        const text = command.kind === 'message' ? command.text : 'help';
        this.dispatch(
          { ...event.origin, text, agentHint: command.kind === 'message' ? command.agentHint : undefined },
          this.responder(interaction, true, acknowledged),
        );
        return deferredReply();
      }
      case 'open-secret': {
        // A secret is typed into a modal: shown only if the prompt is still open and the presser's own.
        const { sender, address } = event.origin;
        const prompt = await this.gateway.promptFor('discord', sender.id, address, event.token);
        return prompt ? secretModal(prompt) : privateAnswer('That request has expired; ask again.');
      }
      case 'submit-secret': {
        const { sender, address, direct } = event.origin;
        this.inFlight.track(
          this.gateway.submitSecret(
            { platform: 'discord', senderId: sender.id, address, token: event.token, value: event.value, direct },
            // The deferred answer is already private: the result replaces it.
            { reply: (reply) => followUp(reply, true, false) },
          ),
        );
        return deferredReply(true);
      }
      case 'button':
        return this.onButton(event.origin, event.customId, interaction, acknowledged);
    }
  }

  /** Interactions from the gateway: the initial response goes to the callback route, then the work. */
  async onGatewayInteraction(interaction: APIInteraction): Promise<void> {
    let acknowledge!: () => void;
    const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
    try {
      await this.sender.respond(interaction, await this.onInteraction(interaction, acknowledged));
    } catch (err) {
      this.logger.warn(`interaction ${interaction.id} not answered: ${this.scrub(String(err))}`);
    } finally {
      acknowledge();
    }
  }

  private async onButton(
    origin: InteractionOrigin,
    customId: string,
    interaction: APIInteraction,
    acknowledged: Promise<unknown>,
  ): Promise<APIInteractionResponse> {
    const value = await this.buttons.get(customId);
    if (value === undefined) {
      const expired = { text: 'That button has expired; please ask again.' };
      void acknowledged.then(() => this.sender.followUp(interaction, expired, false, true)).catch(() => undefined);
      return deferredUpdate();
    }
    this.dispatch({ ...origin, text: value }, this.responder(interaction, false, acknowledged));
    return deferredUpdate();
  }

  private async createChannel(request: ChannelRequest): Promise<string> {
    const { guildId } = request;
    if (!guildId) return 'Agent channels live in a server, not in direct messages.';
    return this.channels.create({ ...request, guildId }, this.sender);
  }

  /** The first reply replaces the deferred "thinking..." message (slash commands) or follows up (buttons). */
  private responder(interaction: APIInteraction, editOriginal: boolean, acknowledged: Promise<unknown>): Responder {
    let first = editOriginal;
    return {
      reply: async (reply) => {
        await acknowledged;
        const edit = first;
        first = false;
        await this.sender.followUp(interaction, reply, edit);
      },
    };
  }

  private dispatch(msg: InboundMessage, responder: Responder): void {
    this.inFlight.track(this.gateway.receive(msg, responder));
  }
}
