import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ChatAddress, Reply, Responder } from '../chat.contract.js';
import { ChannelPacer } from '../core/channel-pacer.js';
import { toBlocks } from './slack.mapper.js';

/** Slack allows about one message a second per channel. */
const PER_CHANNEL_INTERVAL_MS = 1000;

/**
 * Delivers Replies the Slack way: Block Kit in the thread they belong to, ephemeral when private,
 * through a slash command's response_url when that is where the answer goes, files through the
 * external upload flow; messages paced per channel. The WebClient retries 429s after their
 * Retry-After and 5xx with backoff.
 */
export class SlackSender {
  private readonly pacer = new ChannelPacer(PER_CHANNEL_INTERVAL_MS);

  constructor(private readonly client: WebClient) {}

  async post(address: ChatAddress, reply: Reply): Promise<void> {
    const { text, blocks } = toBlocks(reply);
    await this.pacer.run(address.channel, () =>
      this.client.chat.postMessage({ channel: address.channel, text, blocks, thread_ts: address.thread }),
    );
    await this.upload(address, reply);
  }

  async postEphemeral(address: ChatAddress, user: string, reply: Reply): Promise<void> {
    const { text, blocks } = toBlocks(reply);
    await this.client.chat.postEphemeral({ channel: address.channel, user, text, blocks, thread_ts: address.thread });
  }

  /** Slash commands and presses on ephemeral messages answer through their response_url. */
  viaResponseUrl(respond: RespondFn, address: ChatAddress): Responder {
    return {
      reply: async (reply) => {
        const { text, blocks } = toBlocks(reply);
        await respond({ response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', text, blocks });
        // Files cannot ride on a response_url; they are shared in the channel unless the answer is private.
        if (!reply.ephemeral) await this.upload(address, reply);
      },
    };
  }

  /** Mentions and DMs answer in the thread (or DM) they came from; private answers are ephemeral. */
  inThread(address: ChatAddress, user: string): Responder {
    return {
      // Private answers are ephemeral even in a DM: they vanish from Slack's history.
      reply: (reply) => (reply.ephemeral ? this.postEphemeral(address, user, reply) : this.post(address, reply)),
    };
  }

  /** PNGs, PDFs and spoken replies through files.getUploadURLExternal -> upload -> completeUploadExternal. */
  private async upload(address: ChatAddress, reply: Reply): Promise<void> {
    const files = [...(reply.attachments ?? []), ...(reply.voice ? [reply.voice] : [])];
    if (files.length === 0) return;
    await this.pacer.run(address.channel, () =>
      this.client.filesUploadV2({
        channel_id: address.channel,
        ...(address.thread ? { thread_ts: address.thread } : {}),
        file_uploads: files.map((f) => ({
          file: Buffer.from(f.data, 'base64'),
          filename: f.filename,
          title: f.filename,
        })),
      }),
    );
  }
}
