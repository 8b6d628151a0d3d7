import type { ChatCapabilities, Platform } from '../chat.contract.js';
import { CONSOLE_CAPABILITIES } from '../console/console.capabilities.js';
import { DISCORD_CAPABILITIES } from '../discord/discord.capabilities.js';
import { SLACK_CAPABILITIES } from '../slack/slack.capabilities.js';
import { TELEGRAM_CAPABILITIES } from '../telegram/telegram.capabilities.js';

/**
 * What each adapter declares it can do, by platform: the turn reads these instead of naming a
 * platform. Plain constants, so loading them loads no platform SDK.
 */
export const CHAT_CAPABILITIES: Readonly<Record<Platform, ChatCapabilities>> = {
  slack: SLACK_CAPABILITIES,
  discord: DISCORD_CAPABILITIES,
  telegram: TELEGRAM_CAPABILITIES,
  console: CONSOLE_CAPABILITIES,
};
