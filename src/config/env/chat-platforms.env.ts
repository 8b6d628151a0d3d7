import { z } from 'zod';
import { agentBindings, bool } from './env.fields.js';

/** Slack, Telegram and Discord: each is on when its bot token is set. */
export const chatPlatformsEnv = {
  // Slack (@slack/bolt): HTTP events at POST /slack/events, or Socket Mode with an app token.
  SLACK_SIGNING_SECRET: z
    .string()
    .min(8, 'expected the signing secret from the Slack app page')
    .optional()
    .describe('Slack signing secret, for events over HTTP at `POST /slack/events`.'),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'expected a bot token starting with xoxb-')
    .optional()
    .describe('Slack bot token (`xoxb-…`); Slack is on when it is set.'),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'expected an app-level token starting with xapp-')
    .optional()
    .describe('Slack app-level token (`xapp-…`) for Socket Mode, which needs no public address.'),
  SLACK_API_URL: z
    .url({ message: 'expected a URL such as https://slack.com/api/' })
    .optional()
    .describe('Another Slack Web API base (a stand-in).'),
  SLACK_AGENT_COMMANDS: agentBindings('/command=agent number, e.g. /invoice=15').describe(
    'Extra slash commands bound to one agent each, such as `/invoice=15,/bi=1`.',
  ),
  // Telegram (grammY): webhook at POST /telegram/webhook when a secret is set, else long polling.
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, 'expected a token from @BotFather such as 123456:ABC-def')
    .optional()
    .describe('Telegram bot token from @BotFather; Telegram is on when it is set.'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1-256 letters, digits, _ or -')
    .optional()
    .describe(
      'Webhook secret (1-256 of `A-Z a-z 0-9 _ -`): updates arrive at `POST /telegram/webhook`. Unset: long polling.',
    ),
  TELEGRAM_API_ROOT: z
    .url({ message: 'expected a URL such as https://api.telegram.org' })
    .optional()
    .describe('Another Bot API server, such as a self-hosted `telegram-bot-api`.'),
  // Discord (discord.js): gateway bot plus HTTP interactions at POST /discord/interactions.
  DISCORD_BOT_TOKEN: z
    .string()
    .min(20, 'expected the bot token from the Discord developer portal')
    .optional()
    .describe('Discord bot token; Discord is on when it is set.'),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{5,25}$/, 'expected the numeric application id')
    .optional()
    .describe('Discord application id, for slash commands.'),
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected the 64-character hex public key')
    .optional()
    .describe('Discord public key, to verify interactions at `POST /discord/interactions`.'),
  DISCORD_API_URL: z
    .url({ message: 'expected a URL such as https://discord.com/api' })
    .optional()
    .describe('Another Discord REST base (a stand-in).'),
  DISCORD_AGENT_CHANNELS: agentBindings('channel id=agent number, e.g. 123456789012345678=15').describe(
    'Existing channels bound to one agent each, such as `123456789012345678=15`.',
  ),
  DISCORD_GATEWAY: bool
    .default(true)
    .describe('Connect the gateway bot for channel messages (slash commands also work over HTTP without it).'),
};
