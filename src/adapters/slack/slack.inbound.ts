import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { InboundMessage, Responder } from '../chat.contract.js';
import type { CommandOptions } from '../core/command-parser.js';
import type { ChatGateway } from '../core/chat-gateway.service.js';
import type { InFlight } from '../core/shutdown.js';
import {
  actionAddress,
  CHOICE_ACTION_PREFIX,
  fromAppMention,
  fromButtonPress,
  fromDirectMessage,
  fromSecretSubmission,
  fromSlashCommand,
  SECRET_ACTION,
  SECRET_VIEW,
  secretModal,
  type SlackDownload,
} from './slack.mapper.js';
import type { SlackSender } from './slack.sender.js';

/**
 * Bolt's listeners: each acks at once, maps the payload (slack.mapper) and hands it to the gateway in
 * the background, answering where it came from. Secrets are typed into a modal, never into the
 * conversation.
 */
export class SlackInbound {
  constructor(
    private readonly gateway: ChatGateway,
    private readonly sender: SlackSender,
    private readonly inFlight: InFlight,
    private readonly commands: CommandOptions,
    private readonly download: SlackDownload,
  ) {}

  listen(app: App, commandNames: string[]): void {
    for (const name of commandNames)
      app.command(name, async ({ command, ack, respond }) => {
        await ack();
        const msg = fromSlashCommand(command, this.commands);
        this.dispatch(msg, this.sender.viaResponseUrl(respond, msg.address));
      });

    app.event('app_mention', async ({ event, body }) => {
      const msg = fromAppMention(event, body, this.download);
      if (msg) this.dispatch(msg, this.sender.inThread(msg.address, msg.sender.id));
    });

    app.message(async ({ message, body }) => {
      const msg = fromDirectMessage(message, body, this.download);
      if (msg) this.dispatch(msg, this.sender.inThread(msg.address, msg.sender.id));
    });

    app.action<BlockAction<ButtonAction>>(
      new RegExp(`^${CHOICE_ACTION_PREFIX}`),
      async ({ ack, body, action, respond }) => {
        await ack();
        const msg = fromButtonPress(body, action);
        if (!msg) return;
        const responder = body.container?.is_ephemeral
          ? this.sender.viaResponseUrl(respond, msg.address)
          : this.sender.inThread(msg.address, body.user.id);
        this.dispatch(msg, responder);
      },
    );

    this.listenForSecrets(app);
  }

  /**
   * The button opens the modal (checking the prompt is open and the presser's), the submission goes
   * to the gateway with the prompt's token, and the answer is ephemeral where the button was.
   */
  private listenForSecrets(app: App): void {
    app.action<BlockAction<ButtonAction>>(SECRET_ACTION, async ({ ack, body, action, client }) => {
      await ack();
      const address = actionAddress(body, false);
      const prompt = await this.gateway.promptFor('slack', body.user.id, address, action.value ?? '');
      if (!prompt) {
        await client.chat.postEphemeral({
          channel: address.channel,
          user: body.user.id,
          text: 'That request has expired; ask again.',
        });
        return;
      }
      await client.views.open({ trigger_id: body.trigger_id, view: secretModal(prompt, address) });
    });

    app.view(SECRET_VIEW, async ({ ack, body, view }) => {
      await ack();
      const secret = fromSecretSubmission(view, body.user.id);
      this.inFlight.track(
        this.gateway.submitSecret({ platform: 'slack', ...secret }, this.sender.inThread(secret.address, body.user.id)),
      );
    });
  }

  /** Hands the message to the gateway without holding up the ack. */
  private dispatch(msg: InboundMessage, responder: Responder): void {
    this.inFlight.track(this.gateway.receive(msg, responder));
  }
}
