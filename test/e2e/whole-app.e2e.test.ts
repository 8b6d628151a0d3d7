import { afterAll, describe, expect, it } from '@jest/globals';
import type { APIUser } from 'discord-api-types/v10';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DISCORD_APP_ID, DISCORD_BOT, DISCORD_GENERAL, DiscordFake } from '../fakes/discord.fake.js';
import { SLACK_BOT_USER, SLACK_TEAM, SlackFake, slackSignature } from '../fakes/slack.fake.js';
import { TelegramFake } from '../fakes/telegram.fake.js';
import { runPaios, startPaios, type PaiosProcess } from '../support/paios-process.js';
import { serverModeEnv, postgresAvailable, redisAvailable, embeddedDataDir } from '../support/services.js';
import { waitFor } from '../support/wait.js';

/**
 * The whole built app (`bin/paios.js start` after `nest build`), every agent loaded, with each chat
 * platform configured against its fake: a person pairs, then gets answers. The suites of the adapters
 * load one platform into a test module; only this one catches what happens when every SDK and every
 * agent share one process (vega-lite's global patches broke discord.js on import).
 */

const DISCORD_TOKEN = 'discord-bot-token-whole-app.abcdef.123456';
const SLACK_TOKEN = 'xoxb-1234-5678-wholeapp';
const SLACK_SECRET = 'slack-signing-secret-whole-app';
const TELEGRAM_SECRET = 'whole-app-hook_secret';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const WAIT = 30_000;

const serverMode = (await postgresAvailable()) && (await redisAvailable());
const modes = serverMode ? (['embedded', 'server'] as const) : (['embedded'] as const);

type Mode = (typeof modes)[number];
type Platform = 'discord' | 'slack' | 'telegram';

/** One run: the fakes it needs, the environment pointing paios at them, and cleanup. */
class Run {
  discord?: DiscordFake;
  slack?: SlackFake;
  telegram?: TelegramFake;
  paios?: PaiosProcess;
  env: Record<string, string> = {};
  private readonly cleanups: (() => Promise<void> | void)[] = [];

  async start(mode: Mode, platforms: Platform[]): Promise<this> {
    const dir = embeddedDataDir('paios-whole-');
    this.cleanups.push(() => dir.remove());
    this.env = { PAIOS_DATA_DIR: dir.path, ACCESS_TOKEN_SECRET: 'whole-app-secret-0123456789-0123456789' };
    if (mode === 'server') {
      const server = await serverModeEnv('whole');
      this.cleanups.push(() => server.cleanup());
      Object.assign(this.env, server.env);
    }
    if (platforms.includes('discord')) {
      this.discord = await new DiscordFake(DISCORD_TOKEN).start();
      this.cleanups.push(() => this.discord!.stop());
      Object.assign(this.env, {
        DISCORD_BOT_TOKEN: DISCORD_TOKEN,
        DISCORD_APPLICATION_ID: DISCORD_APP_ID,
        DISCORD_PUBLIC_KEY: this.discord.publicKeyHex,
        DISCORD_API_URL: this.discord.apiUrl,
      });
    }
    if (platforms.includes('slack')) {
      this.slack = await new SlackFake(SLACK_TOKEN).start();
      this.cleanups.push(() => this.slack!.stop());
      Object.assign(this.env, {
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_API_URL: this.slack.apiUrl,
      });
    }
    if (platforms.includes('telegram')) {
      this.telegram = await new TelegramFake().start();
      this.cleanups.push(() => this.telegram!.stop());
      Object.assign(this.env, {
        TELEGRAM_BOT_TOKEN: this.telegram.token,
        TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
        TELEGRAM_API_ROOT: this.telegram.apiRoot,
      });
    }
    // The owner approves newcomers' pairing codes.
    const init = await runPaios(['init', '--owner', 'owner@whole-app.test'], this.env);
    expect(init.code).toBe(0);
    // A first boot in embedded mode creates the PGlite cluster: generous on a busy machine.
    this.paios = await startPaios(this.env, ['start'], 180_000);
    return this;
  }

  async stop(): Promise<number | null> {
    const code = (await this.paios?.stop()) ?? null;
    for (const c of this.cleanups.splice(0).reverse()) await c();
    return code;
  }

  /** Waits for `get` to find something, failing with what paios said last instead of a bare timeout. */
  async until<T>(what: string, get: () => T | undefined | Promise<T | undefined>): Promise<T> {
    let found: T | undefined;
    try {
      await waitFor(async () => (found = await get()) !== undefined, WAIT, 50);
    } catch {
      throw new Error(
        `${what}: nothing within ${WAIT} ms (paios exit code ${this.paios?.exitCode()}):\n${this.paios?.output().slice(-4000)}`,
      );
    }
    return found!;
  }

  async approve(code: string): Promise<void> {
    const result = await runPaios(['users', 'approve', code], this.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }

  /** No token or secret of any platform in what paios printed. */
  expectNoSecretsInOutput(): void {
    const out = this.paios!.output();
    for (const secret of [DISCORD_TOKEN, SLACK_TOKEN, SLACK_SECRET, TELEGRAM_SECRET, this.telegram?.token ?? '']) {
      if (secret) expect(out).not.toContain(secret);
    }
  }
}

// ---- what a person does on each platform ----

const alice: APIUser = {
  id: '600000000000000006',
  username: 'alice',
  discriminator: '0',
  global_name: 'Alice',
  avatar: null,
};

/** Alice mentions the bot in #general; resolves with the first new message paios sent that matches. */
async function onDiscord(run: Run, text: string, match: RegExp) {
  const discord = run.discord!;
  const before = discord.sent.length;
  discord.dispatchMessage({ channelId: DISCORD_GENERAL, author: alice, content: `<@${DISCORD_BOT.id}> ${text}` });
  return run.until(`Discord answer to "${text}"`, () => discord.sent.slice(before).find((s) => match.test(s.content)));
}

let slackSeq = 0;

async function deliverToSlack(run: Run, body: string, form: boolean): Promise<number> {
  const res = await fetch(`${run.paios!.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      ...slackSignature(SLACK_SECRET, body),
    },
    body,
  });
  return res.status;
}

/** Alice runs `/paios <text>`; resolves with the first new response_url post that matches. */
async function slashOnSlack(run: Run, text: string, match: RegExp) {
  const slack = run.slack!;
  const n = ++slackSeq;
  const command = slack.slashCommand(text, `whole-${n}`);
  const before = slack.posts.length;
  expect(
    await deliverToSlack(run, new URLSearchParams(command as unknown as Record<string, string>).toString(), true),
  ).toBe(200);
  return run.until(`Slack answer to "/paios ${text}"`, () =>
    slack.posts.slice(before).find((p) => p.via === 'response_url' && match.test(p.text)),
  );
}

/** Alice mentions the bot in #general (Events API); resolves with the matching chat.postMessage. */
async function mentionOnSlack(run: Run, text: string, match: RegExp) {
  const slack = run.slack!;
  const ts = `${1_700_200_000 + ++slackSeq}.000100`;
  const payload = {
    token: 'legacy-verification-token',
    team_id: SLACK_TEAM,
    api_app_id: 'A0PAIOS',
    type: 'event_callback',
    event_id: `EvWHOLE${slackSeq}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: SLACK_TEAM, user_id: SLACK_BOT_USER, is_bot: true, enterprise_id: null }],
    event: {
      type: 'app_mention',
      user: 'U0ALICE',
      text: `<@${SLACK_BOT_USER}> ${text}`,
      ts,
      channel: 'C0GENERAL',
      event_ts: ts,
    },
  };
  const before = slack.posts.length;
  expect(await deliverToSlack(run, JSON.stringify(payload), false)).toBe(200);
  return run.until(`Slack answer to the mention "${text}"`, () =>
    slack.posts.slice(before).find((p) => p.via === 'chat.postMessage' && match.test(p.text)),
  );
}

/** Alice writes to the bot in a private Telegram chat (webhook with the secret token). */
async function onTelegram(run: Run, text: string, match: RegExp) {
  const telegram = run.telegram!;
  const user = telegram.user(111, 'Alice', 'alice');
  const update = telegram.textUpdate(user, telegram.privateChat(user), text);
  const before = telegram.sentTo(user.id).length;
  // Right after start grammY may still be on getMe: the webhook answers 503 and Telegram redelivers.
  await run.until('Telegram webhook accepting the update', async () => {
    const res = await fetch(`${run.paios!.url}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
      body: JSON.stringify(update),
    });
    return res.status === 200 ? true : undefined;
  });
  return run.until(`Telegram answer to "${text}"`, () =>
    telegram
      .sentTo(user.id)
      .slice(before)
      .find((m) => m.method === 'sendMessage' && match.test(m.text ?? '')),
  );
}

const CHART = new URL('../../dist/agents/business-intelligence/revenue-chart.js', import.meta.url).href;

describe('a revenue chart and discord.js in one process', () => {
  it('draws a chart before discord.js loads, and again after, leaving JSON of sets alone', async () => {
    // What #1 does when asked for a chart before any Discord client exists (vega-lite loads first).
    const script = `
      const { renderRevenueChart } = await import(${JSON.stringify(CHART)});
      const draw = () => renderRevenueChart([{ month: '2026-01', currency: 'EUR', amount: 1500 }], ['2026-01', '2026-02'], 'revenue');
      const first = await draw();
      const setJson = JSON.stringify({ s: new Set([1]) });
      const { Client, GatewayIntentBits } = await import('discord.js');
      const client = new Client({ intents: [GatewayIntentBits.Guilds] });
      await client.destroy();
      const second = await draw();
      console.log(JSON.stringify({ png: [first.subarray(1, 4).toString(), second.subarray(1, 4).toString()], same: first.equals(second), setJson }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    expect(JSON.parse(stdout)).toEqual({ png: ['PNG', 'PNG'], same: true, setJson: '{"s":{}}' });
  }, 300_000);
});

const code = (text: string) => /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(text)![1]!;

/** First contact gets a pairing code; the owner approves it with `paios users approve`. */
async function pair(run: Run, platform: Platform): Promise<void> {
  switch (platform) {
    case 'discord': {
      const dm = await onDiscord(run, 'add a client Acme', /pairing code is \*\*[A-Z0-9]{4}-[A-Z0-9]{4}\*\*/);
      await run.approve(code(dm.content));
      return;
    }
    case 'slack': {
      const post = await slashOnSlack(run, 'add a client Acme', /pairing code is \*[A-Z0-9]{4}-[A-Z0-9]{4}\*/);
      await run.approve(code(post.text));
      return;
    }
    case 'telegram': {
      const msg = await onTelegram(run, 'add a client Acme', /pairing code is <b>[A-Z0-9]{4}-[A-Z0-9]{4}<\/b>/);
      await run.approve(code(msg.text!));
      return;
    }
  }
}

describe('the whole built app answers on each chat platform (embedded)', () => {
  const runs: Run[] = [];
  afterAll(async () => {
    for (const r of runs) await r.stop();
  });

  it('Discord configured: paios starts, and a gateway message gets its answer through the REST API', async () => {
    const run = new Run();
    runs.push(run);
    await run.start('embedded', ['discord']);
    await run.until('Discord gateway identified', () => (run.discord!.identified ? true : undefined));
    await pair(run, 'discord');
    const answer = await onDiscord(run, 'add a client Acme', /Added Acme/);
    expect(answer).toMatchObject({ route: 'channel', channelId: DISCORD_GENERAL });
    run.expectNoSecretsInOutput();
    expect(await run.stop()).toBe(0);
  }, 360_000);

  it('Slack configured: a signed slash command and a mention get their answers through the Web API', async () => {
    const run = new Run();
    runs.push(run);
    await run.start('embedded', ['slack']);
    await pair(run, 'slack');
    const answer = await slashOnSlack(run, 'add a client Acme', /Added Acme/);
    expect(answer.via).toBe('response_url');
    const threaded = await mentionOnSlack(run, 'how much did we make this month', /This month: invoiced/);
    expect(threaded.channel).toBe('C0GENERAL');
    run.expectNoSecretsInOutput();
    expect(await run.stop()).toBe(0);
  }, 360_000);

  it('Telegram configured: a webhook update with the secret token gets sendMessage', async () => {
    const run = new Run();
    runs.push(run);
    await run.start('embedded', ['telegram']);
    await pair(run, 'telegram');
    const answer = await onTelegram(run, 'add a client Acme', /Added Acme/);
    expect(answer.method).toBe('sendMessage');
    run.expectNoSecretsInOutput();
    expect(await run.stop()).toBe(0);
  }, 360_000);
});

describe.each(modes)('the whole built app with Discord, Slack and Telegram at once (%s)', (mode) => {
  const runs: Run[] = [];
  afterAll(async () => {
    for (const r of runs) await r.stop();
  });

  it('answers on all three, draws #1 revenue chart, and Discord still answers after the chart', async () => {
    const run = new Run();
    runs.push(run);
    await run.start(mode, ['discord', 'slack', 'telegram']);
    await run.until('Discord gateway identified', () => (run.discord!.identified ? true : undefined));
    for (const platform of ['discord', 'slack', 'telegram'] as const) await pair(run, platform);

    expect((await onDiscord(run, '#15 add a client Acme', /Added Acme/)).channelId).toBe(DISCORD_GENERAL);
    await slashOnSlack(run, '#15 invoice Acme for 10 hours at 150', /Created INV-\d{4}-0001 for Acme/);
    await onTelegram(run, 'how much did we make this month', /invoiced €1,500\.00/);

    // The chart loads vega-lite into the process that already runs discord.js.
    const chart = await onDiscord(run, '#1 chart my revenue', /Monthly revenue/);
    expect(chart.files).toHaveLength(1);
    expect(chart.files[0]!.data.subarray(0, 8).equals(PNG)).toBe(true);

    expect(await onDiscord(run, 'how much did we make this month', /invoiced €1,500\.00/)).toMatchObject({
      channelId: DISCORD_GENERAL,
    });
    await mentionOnSlack(run, '#15 add a client Bravo', /Added Bravo/);
    await onTelegram(run, '#15 add a client Carol', /Added Carol/);
    expect(run.paios!.exitCode()).toBeNull();
    run.expectNoSecretsInOutput();
    expect(await run.stop()).toBe(0);
  }, 480_000);
});
