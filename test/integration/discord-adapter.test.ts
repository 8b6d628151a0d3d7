import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIChatInputApplicationCommandInteraction,
  type APIUser,
} from 'discord-api-types/v10';
import { execFileSync } from 'node:child_process';
import { BusinessIntelligenceModule } from '../../src/agents/business-intelligence/business-intelligence.module.js';
import { InvoicingModule } from '../../src/agents/invoicing/invoicing.module.js';
import { AdapterHub } from '../../src/adapters/core/adapter-hub.js';
import { DiscordModule } from '../../src/adapters/discord/discord.module.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { openAiAudioFake } from '../fakes/openai.fake.js';
import {
  DISCORD_APP_ID,
  DISCORD_GENERAL,
  DISCORD_GUILD,
  DiscordFake,
  type DiscordSent,
} from '../fakes/discord.fake.js';
import { PasswordVaultModule } from '../../src/agents/password-vault/password-vault.module.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';
import { testConfig } from '../support/config.js';
import { eventually, waitFor } from '../support/wait.js';

const TOKEN = 'discord-bot-token-for-tests.abcdef.123456';
const BOUND = '310000000000000031'; // bound to the calculator (#91) by configuration
const alice: APIUser = {
  id: '600000000000000006',
  username: 'alice',
  discriminator: '0',
  global_name: 'Alice',
  avatar: null,
};
const stranger: APIUser = {
  id: '600000000000000099',
  username: 'mallory',
  discriminator: '0',
  global_name: null,
  avatar: null,
};

describe('Discord adapter (discord.js against a local Discord)', () => {
  let discord: DiscordFake;
  let stt: HttpFake;
  let chat: ChatApp;
  let seq = 0;

  beforeAll(async () => {
    discord = await new DiscordFake(TOKEN, [{ id: BOUND, name: 'calculator' }]).start();
    stt = await openAiAudioFake({ transcribe: () => 'add 5 and 6' }).start();
    const env = {
      DISCORD_BOT_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: DISCORD_APP_ID,
      DISCORD_PUBLIC_KEY: discord.publicKeyHex,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_AGENT_CHANNELS: `${BOUND}=91`,
      STT_BASE_URL: `${stt.url}/v1`,
      VAULT_ARGON2_MEMORY_KIB: '19456',
      VAULT_ARGON2_ITERATIONS: '2',
      VAULT_ARGON2_PARALLELISM: '1',
    };
    chat = await startChatApp({
      env,
      modules: [
        InvoicingModule,
        BusinessIntelligenceModule,
        VaultModule,
        PasswordVaultModule,
        DiscordModule.forRoot(testConfig(env), 'server'),
      ],
    });
    await chat.pair('discord', alice.id);
    await waitFor(() => chat.app.get(AdapterHub).get('discord')?.status().state === 'ready', 30_000);
  });
  afterAll(async () => {
    await chat?.close();
    await discord?.stop();
    await stt?.stop();
  });

  const sentWhere = (pred: (s: DiscordSent) => boolean) => discord.sent.filter(pred);

  function command(name: string, options: APIChatInputApplicationCommandInteraction['data']['options'], user = alice) {
    const n = ++seq;
    const interaction = {
      id: `80000000000000${String(n).padStart(4, '0')}`,
      application_id: DISCORD_APP_ID,
      type: InteractionType.ApplicationCommand,
      token: `interaction-token-${n}`,
      version: 1,
      guild_id: DISCORD_GUILD,
      channel_id: DISCORD_GENERAL,
      member: {
        user,
        roles: [],
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        permissions: '0',
      },
      data: { id: '900', name, type: ApplicationCommandType.ChatInput, options },
      locale: 'en-US',
      app_permissions: '0',
      entitlements: [],
      authorizing_integration_owners: {},
      attachment_size_limit: 8_000_000,
    } as unknown as APIChatInputApplicationCommandInteraction;
    return interaction;
  }

  async function post(body: unknown, headers?: Record<string, string>) {
    const raw = JSON.stringify(body);
    const res = await fetch(`${chat.url}/discord/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(headers ?? discord.signInteraction(raw)) },
      body: raw,
    });
    return { status: res.status, body: (await res.json()) as { type?: number; data?: { flags?: number } } };
  }

  it('answers every message in a channel bound to an agent, without addressing it', async () => {
    discord.dispatchMessage({ channelId: BOUND, author: alice, content: 'add 2 3' });
    const answer = await eventually(() => sentWhere((s) => s.channelId === BOUND && s.content === '2 + 3 = 5')[0]);
    expect(answer.route).toBe('channel');
  });

  it('ignores chatter in unbound channels, and answers there when mentioned', async () => {
    discord.dispatchMessage({ channelId: DISCORD_GENERAL, author: alice, content: '#91 add 7 6' });
    discord.dispatchMessage({
      channelId: DISCORD_GENERAL,
      author: alice,
      content: `<@${'400000000000000004'}> #91 add 6 7`,
    });
    await eventually(() => sentWhere((s) => s.content === '6 + 7 = 13')[0]);
    expect(sentWhere((s) => s.content === '7 + 6 = 13')).toHaveLength(0);
  });

  it('defers a signed /paios interaction within the HTTP answer, then edits the answer in', async () => {
    const interaction = command('paios', [
      { name: 'text', type: ApplicationCommandOptionType.String, value: '#91 add 7 8' },
    ]);
    const res = await post(interaction);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const edit = await eventually(() => sentWhere((s) => s.content === '7 + 8 = 15')[0]);
    expect(edit.route).toBe('original');
  });

  it('answers a slash command that arrives over the gateway, responding first, then editing the answer in', async () => {
    const interaction = command('paios', [
      { name: 'text', type: ApplicationCommandOptionType.String, value: '#91 add 6 7' },
    ]);
    discord.dispatchInteraction(interaction);
    const callback = await eventually(() => discord.callbacks.find((c) => c.id === interaction.id));
    expect(callback.body).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource });
    await eventually(() => sentWhere((s) => s.route === 'original' && s.content === '6 + 7 = 13')[0]);
    // The initial response reached Discord before the edit that depends on it.
    const paths = discord.http.requests.map((r) => `${r.method} ${r.path}`);
    const responded = paths.findIndex((p) => p.includes(`/interactions/${interaction.id}/`));
    const edited = paths.findIndex((p) => p.startsWith('PATCH') && p.includes(interaction.token));
    expect(responded).toBeGreaterThanOrEqual(0);
    expect(edited).toBeGreaterThan(responded);
  });

  it('answers PING with PONG and refuses a forged signature, running nothing', async () => {
    expect(
      (await post({ type: InteractionType.Ping, id: '1', application_id: DISCORD_APP_ID, token: 't', version: 1 }))
        .body,
    ).toEqual({
      type: InteractionResponseType.Pong,
    });
    const interaction = command('paios', [
      { name: 'text', type: ApplicationCommandOptionType.String, value: '#91 add 9 9' },
    ]);
    const forged = await post(interaction, new DiscordFake(TOKEN).signInteraction(JSON.stringify(interaction)));
    expect(forged.status).toBe(401);
    const unsigned = await post(interaction, {});
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(sentWhere((s) => s.content.includes('18'))).toHaveLength(0);
  });

  it('answers the same interaction and the same gateway message once', async () => {
    const interaction = command('paios', [
      { name: 'text', type: ApplicationCommandOptionType.String, value: '#91 add 11 11' },
    ]);
    await post(interaction);
    await post(interaction);
    const id = discord.dispatchMessage({ channelId: BOUND, author: alice, content: 'add 12 12' });
    discord.dispatchMessage({ channelId: BOUND, author: alice, content: 'add 12 12', id });
    await eventually(() => sentWhere((s) => s.content === '11 + 11 = 22')[0]);
    await eventually(() => sentWhere((s) => s.content === '12 + 12 = 24')[0]);
    discord.dispatchMessage({ channelId: BOUND, author: alice, content: 'add 1 2' });
    await eventually(() => sentWhere((s) => s.content === '1 + 2 = 3')[0]);
    expect(sentWhere((s) => s.content === '11 + 11 = 22')).toHaveLength(1);
    expect(sentWhere((s) => s.content === '12 + 12 = 24')).toHaveLength(1);
  });

  it('uploads a PNG chart with the message, bytes intact', async () => {
    discord.dispatchMessage({
      channelId: DISCORD_GENERAL,
      author: alice,
      content: '<@400000000000000004> #1 revenue_chart',
    });
    const withFile = await eventually(() => sentWhere((s) => s.files.length > 0)[0], 30_000);
    expect(withFile.files[0]!.filename).toMatch(/\.png$/);
    expect(withFile.files[0]!.data.subarray(1, 4).toString()).toBe('PNG');
  });

  it('waits out a 429 with retry_after and still delivers', async () => {
    const posts = () => discord.http.requests.filter((r) => r.path.endsWith(`/channels/${BOUND}/messages`)).length;
    const before = posts();
    discord.rateLimitNext(new RegExp(`/channels/${BOUND}/messages$`), 1);
    discord.dispatchMessage({ channelId: BOUND, author: alice, content: 'add 40 2' });
    await eventually(() => sentWhere((s) => s.content === '40 + 2 = 42')[0], 30_000);
    expect(posts()).toBe(before + 2); // the 429, then the retry after retry_after
  });

  it('transcribes an audio attachment in a bound channel and answers with the transcript', async () => {
    const wav = execFileSync('espeak-ng', ['--stdout', 'add five and six']);
    const ogg = execFileSync(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-c:a', 'libopus', '-f', 'ogg', 'pipe:1'],
      {
        input: wav,
      },
    );
    discord.files.set('voice-message.ogg', ogg);
    discord.dispatchMessage({
      channelId: BOUND,
      author: alice,
      content: '',
      flags: MessageFlags.IsVoiceMessage,
      attachments: [
        {
          id: discord.newId(),
          filename: 'voice-message.ogg',
          size: ogg.length,
          url: discord.attachmentUrl('voice-message.ogg'),
          proxy_url: discord.attachmentUrl('voice-message.ogg'),
          content_type: 'audio/ogg',
          duration_secs: 2,
        },
      ],
    });
    const answer = await eventually(() => sentWhere((s) => s.content.includes('5 + 6 = 11'))[0], 30_000);
    expect(answer.content).toContain('🎙 add 5 and 6');
    expect(stt.requests.at(-1)!.files.file!.data.equals(ogg)).toBe(true);
  });

  it('creates a channel for an agent on request, and messages there go to that agent', async () => {
    discord.dispatchMessage({
      channelId: DISCORD_GENERAL,
      author: alice,
      content: '<@400000000000000004> create a channel for #91',
    });
    const created = await eventually(() => discord.createdChannels[0]);
    expect((created as { name?: string }).name).toBe('agent-91-calculator');
    await eventually(() => sentWhere((s) => s.content.startsWith(`Created <#${created.id}>`))[0]);
    discord.dispatchMessage({ channelId: created.id, author: alice, content: 'add 3 4' });
    await eventually(() => sentWhere((s) => s.channelId === created.id && s.content === '3 + 4 = 7')[0]);
    // Asking again points at the existing channel instead of making a second one.
    discord.dispatchMessage({
      channelId: DISCORD_GENERAL,
      author: alice,
      content: '<@400000000000000004> create a channel for #91',
    });
    await eventually(() => sentWhere((s) => s.content.startsWith('Agent #91 already has a channel here'))[0]);
    expect(discord.createdChannels).toHaveLength(1);
  });

  it('takes the master password in a modal opened from a DM, and answers privately', async () => {
    const master = 'discord-modal-master-77';
    const dm = (i: Record<string, unknown>) => {
      const { guild_id: _g, member: _m, ...rest } = i;
      return { ...rest, channel_id: '700000000000000006', user: alice, context: 1 };
    };
    const ask = dm(
      command('paios', [
        { name: 'text', type: ApplicationCommandOptionType.String, value: 'unlock my vault' },
      ]) as never,
    );
    expect((await post(ask)).body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const prompt = await eventually(() => sentWhere((s) => /master password/.test(s.content))[0]);
    expect(prompt.flags).toBe(MessageFlags.Ephemeral);
    const customId = prompt.components
      ?.flatMap((r) => r.components)
      .find((c) => c.custom_id?.startsWith('paios-secret:'))?.custom_id;
    expect(customId).toBeDefined();

    const n = ++seq;
    const press = dm({
      ...(command('paios', []) as never as Record<string, unknown>),
      id: `81000000000000${String(n).padStart(4, '0')}`,
      type: InteractionType.MessageComponent,
      token: `press-token-${n}`,
      data: { custom_id: customId, component_type: ComponentType.Button },
    });
    const modal = (await post(press)).body as { type: number; data: { custom_id: string; components: unknown[] } };
    expect(modal.type).toBe(InteractionResponseType.Modal);
    expect(modal.data.custom_id).toBe(customId);
    expect(modal.data.components[0]).toMatchObject({
      type: ComponentType.Label,
      component: { type: ComponentType.TextInput },
    });

    const submit = dm({
      ...(command('paios', []) as never as Record<string, unknown>),
      id: `82000000000000${String(n).padStart(4, '0')}`,
      type: InteractionType.ModalSubmit,
      token: `submit-token-${n}`,
      data: {
        custom_id: customId,
        components: [
          {
            type: ComponentType.Label,
            component: { type: ComponentType.TextInput, custom_id: 'value', value: master },
          },
        ],
      },
    });
    const deferred = await post(submit);
    expect(deferred.body).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    const done = await eventually(() => sentWhere((s) => /vault is set up and unlocked/.test(s.content))[0]);
    expect(done.route).toBe('original');
    expect(JSON.stringify(discord.sent)).not.toContain(master);
    // Used once: the same button now only says it expired.
    const again = (await post({ ...press, id: `83000000000000${String(n).padStart(4, '0')}` })).body as {
      type: number;
    };
    expect(again.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  });

  it('gives an unknown Discord user a pairing code in their DMs, not an answer', async () => {
    discord.dispatchMessage({ channelId: BOUND, author: stranger, content: 'add 6 6' });
    const dm = await eventually(
      () => sentWhere((s) => /pairing code is \*\*[A-Z0-9]{4}-[A-Z0-9]{4}\*\*/.test(s.content))[0],
    );
    expect(dm.channelId).toBe(`7${stranger.id.slice(1)}`);
    expect(sentWhere((s) => s.content === '6 + 6 = 12')).toHaveLength(0);
  });
});
