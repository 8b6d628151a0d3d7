import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { UserNotice, UserNotifier } from '../../orchestrator/notifications/user-notifier.port.js';
import type { ChatAddress, Platform } from '../chat.contract.js';
import { AdapterHub } from './adapter-hub.js';

/**
 * The chat side of USER_NOTIFIER: finds where a person will see a message and sends it there. Best
 * first: a chat they chose for digests, then their direct chat on each paired platform that can be
 * addressed by user id (a Telegram private chat's id is the user's; Slack opens the app DM for a
 * user id), and last the console (their Socket.io clients), which is always there. A notice that
 * answers a particular chat (UserNotice.chat) goes there before all of these.
 */
@Injectable()
export class ChatNotifier implements UserNotifier {
  private readonly logger = new Logger('ChatNotifier');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hub: AdapterHub,
  ) {}

  async notify(userId: string, notice: UserNotice): Promise<string | null> {
    const asked = notice.chat && this.hub.get(notice.chat.platform as Platform) ? [notice.chat as ChatAddress] : [];
    for (const address of [...asked, ...(await this.addresses(userId))]) {
      try {
        await this.hub.send(address, { text: notice.text });
        return address.platform;
      } catch (err) {
        this.logger.warn(`could not notify a user on ${address.platform}: ${(err as Error).message}`);
      }
    }
    return null;
  }

  private async addresses(userId: string): Promise<ChatAddress[]> {
    const out: ChatAddress[] = [];
    const live = (p: string): p is Platform => this.hub.get(p as Platform) !== undefined;
    const digests = await this.db.query<
      { platform: string; workspace: string; channel: string; thread: string | null }[]
    >(
      `SELECT platform, workspace, channel, thread FROM digest_subscriptions WHERE user_id = $1 ORDER BY created_at DESC`,
      [userId],
    );
    for (const d of digests)
      if (live(d.platform) && d.platform !== 'console')
        out.push({ platform: d.platform, workspace: d.workspace, channel: d.channel, thread: d.thread ?? undefined });
    const identities = await this.db.query<{ platform: string; workspace: string; platform_user_id: string }[]>(
      `SELECT platform, workspace, platform_user_id FROM user_identities WHERE user_id = $1 ORDER BY created_at DESC`,
      [userId],
    );
    for (const i of identities) {
      if (!live(i.platform)) continue;
      if (i.platform === 'telegram') out.push({ platform: 'telegram', workspace: '', channel: i.platform_user_id });
      if (i.platform === 'slack') out.push({ platform: 'slack', workspace: i.workspace, channel: i.platform_user_id });
    }
    out.push({ platform: 'console', workspace: '', channel: userId });
    return out;
  }
}
