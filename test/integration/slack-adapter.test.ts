import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BlockAction, ButtonAction, SlashCommand } from '@slack/bolt';
import type { AppMentionEvent, GenericMessageEvent } from '@slack/types';
import { execFileSync } from 'node:child_process';
import { BusinessIntelligenceModule } from '../../src/agents/business-intelligence/business-intelligence.module.js';
import { InvoicingModule } from '../../src/agents/invoicing/invoicing.module.js';
import { SlackModule } from '../../src/adapters/slack/slack.module.js';
import { PasswordVaultModule } from '../../src/agents/password-vault/password-vault.module.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import type { HttpFake } from '../fakes/http-fake.js';
import { openAiAudioFake } from '../fakes/openai.fake.js';
import { SLACK_BOT_USER, SLACK_TEAM, SlackFake, slackSignature, type SlackPost } from '../fakes/slack.fake.js';
import { startChatApp, type ChatApp } from '../support/chat-app.js';
import { testConfig } from '../support/config.js';
import { eventually, waitFor } from '../support/wait.js';

const SECRET = 'slack-signing-secret-for-tests';
const TOKEN = 'xoxb-1234-5678-paiostest';

describe('Slack adapter (Bolt against a local Slack API)', () => {
  let slack: SlackFake;
  let stt: HttpFake;
  let chat: ChatApp;
  let seq = 0;

  beforeAll(async () => {
    slack = await new SlackFake(TOKEN).start();
    stt = await openAiAudioFake({ transcribe: () => '#91 add 20 22' }).start();
    const env = {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: slack.apiUrl,
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
        SlackModule.forRoot(testConfig(env), 'server'),
      ],
    });
    await chat.pair('slack', 'U0ALICE', SLACK_TEAM);
    // Bolt checks its token with auth.test before taking events.
    await waitFor(() => slack.calls.includes('auth.test'));
  }, 300_000);
  afterAll(async () => {
    await chat?.close();
    await slack?.stop();
    await stt?.stop();
  });

  /** Posts a payload to /slack/events signed like Slack (JSON events, or a form for commands/actions). */
  async function deliver(
    payload: Record<string, unknown>,
    opts: { form?: 'fields' | 'payload'; headers?: Record<string, string>; secret?: string; timestamp?: number } = {},
  ) {
    const body =
      opts.form === 'fields'
        ? new URLSearchParams(payload as Record<string, string>).toString()
        : opts.form === 'payload'
          ? new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
          : JSON.stringify(payload);
    const res = await fetch(`${chat.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': opts.form ? 'application/x-www-form-urlencoded' : 'application/json',
        ...slackSignature(opts.secret ?? SECRET, body, opts.timestamp),
        ...opts.headers,
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  function slashCommand(text: string, user = 'U0ALICE', command = '/paios'): SlashCommand {
    return slack.slashCommand(text, `cmd-${++seq}`, user, command);
  }

  function eventCallback(event: AppMentionEvent | GenericMessageEvent, eventId = `Ev${++seq}`) {
    return {
      token: 'legacy-verification-token',
      team_id: SLACK_TEAM,
      api_app_id: 'A0PAIOS',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: SLACK_TEAM, user_id: SLACK_BOT_USER, is_bot: true, enterprise_id: null }],
      event,
    };
  }

  function mention(text: string, ts = `${1_700_100_000 + ++seq}.000200`): AppMentionEvent {
    return {
      type: 'app_mention',
      user: 'U0ALICE',
      text: `<@${SLACK_BOT_USER}> ${text}`,
      ts,
      channel: 'C0GENERAL',
      event_ts: ts,
    };
  }

  const postsTo = (pred: (p: SlackPost) => boolean) => slack.posts.filter(pred);

  it('acks a signed /paios slash command at once and answers through its response_url', async () => {
    const command = slashCommand('#91 add 2 3');
    const res = await deliver(command, { form: 'fields' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const answer = await eventually(() => postsTo((p) => p.via === 'response_url' && p.text === '2 + 3 = 5')[0]);
    expect(answer.response_type).toBe('in_channel');
    expect(answer.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn', text: '2 + 3 = 5' } });
  });

  it('gives an unknown Slack user an ephemeral pairing code and runs nothing', async () => {
    const before = slack.posts.length;
    await deliver(slashCommand('#91 add 2 3', 'U0STRANGER'), { form: 'fields' });
    const post = await eventually(() => slack.posts.slice(before).find((p) => p.via === 'response_url'));
    expect(post.response_type).toBe('ephemeral');
    expect(post.text).toMatch(/pairing code is \*[A-Z0-9]{4}-[A-Z0-9]{4}\*/);
    expect(post.text).not.toContain('= 5');
  });

  it('answers an app mention in its thread, and a retried delivery of the same event only once', async () => {
    const event = mention('#91 add 6 7');
    const payload = eventCallback(event, 'Ev0RETRIED');
    expect((await deliver(payload)).status).toBe(200);
    // Slack retries when it did not see the ack in time; the retry carries the same event_id.
    expect(
      (await deliver(payload, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }))
        .status,
    ).toBe(200);
    const answer = await eventually(() => postsTo((p) => p.text === '6 + 7 = 13')[0]);
    expect(answer).toMatchObject({ via: 'chat.postMessage', channel: 'C0GENERAL', thread_ts: event.ts });
    // A later message proves the gateway has moved on; the retry still produced no second answer.
    await deliver(eventCallback(mention('#91 add 1 1')));
    await eventually(() => postsTo((p) => p.text === '1 + 1 = 2')[0]);
    expect(postsTo((p) => p.text === '6 + 7 = 13')).toHaveLength(1);
  });

  it('refuses a forged signature, a replayed old request and one stamped in the future, running nothing', async () => {
    const before = slack.posts.length;
    const forged = await deliver(eventCallback(mention('#91 add 9 9')), { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await deliver(eventCallback(mention('#91 add 9 9')), {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(401);
    // Stamped ten minutes ahead: it would stay replayable until then.
    const ahead = await deliver(eventCallback(mention('#91 add 9 9')), {
      timestamp: Math.floor(Date.now() / 1000) + 600,
    });
    expect(ahead.status).toBe(401);
    const unsigned = await fetch(`${chat.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(eventCallback(mention('#91 add 9 9'))),
    });
    expect(unsigned.status).toBe(401);
    await deliver(eventCallback(mention('#91 add 2 2')));
    await eventually(() => postsTo((p) => p.text === '2 + 2 = 4')[0]);
    expect(slack.posts.slice(before).some((p) => p.text.includes('18'))).toBe(false);
  });

  it('answers a correctly signed payload without a team with 400, running nothing', async () => {
    const before = slack.posts.length;
    const { team_id: _team, ...noTeam } = eventCallback(mention('#91 add 3 4'));
    const res = await deliver(noTeam);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: 'Slack payload without team_id' });
    const { team_id: _t, ...command } = slashCommand('#91 add 3 4');
    expect((await deliver(command as unknown as Record<string, unknown>, { form: 'fields' })).status).toBe(400);
    const noEvent = await deliver({ ...eventCallback(mention('#91 add 3 4')), event: 'x' });
    expect(noEvent.status).toBe(400);
    await deliver(eventCallback(mention('#91 add 5 6')));
    await eventually(() => postsTo((p) => p.text === '5 + 6 = 11')[0]);
    expect(slack.posts.slice(before).some((p) => p.text.includes('3 + 4'))).toBe(false);
  });

  it('answers the url_verification handshake', async () => {
    const res = await deliver({ type: 'url_verification', token: 't', challenge: 'c-123' });
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
  });

  it('uploads a chart through getUploadURLExternal -> upload -> completeUploadExternal, bytes intact', async () => {
    await deliver(eventCallback(mention('#1 revenue_chart')));
    const upload = await eventually(() => [...slack.uploads.values()].find((u) => u.completed));
    expect(upload.filename).toMatch(/\.png$/);
    expect(upload.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(upload.bytes.length).toBe(upload.length);
    expect(upload.channel).toBe('C0GENERAL');
    expect(upload.thread_ts).toEqual(expect.any(String));
  });

  it('waits out a 429 with Retry-After and still delivers the answer', async () => {
    slack.rateLimitNext('chat.postMessage', 1);
    const calls = slack.calls.filter((c) => c === 'chat.postMessage').length;
    await deliver(eventCallback(mention('#91 add 30 12')));
    await eventually(() => postsTo((p) => p.text === '30 + 12 = 42')[0], 30_000);
    expect(slack.calls.filter((c) => c === 'chat.postMessage').length).toBe(calls + 2);
  });

  it('handles a button press as the person saying its value, in the same thread', async () => {
    const n = ++seq;
    const press = {
      type: 'block_actions',
      trigger_id: `press-${n}`,
      api_app_id: 'A0PAIOS',
      token: 'legacy-verification-token',
      response_url: slack.responseUrl(`press-${n}`),
      user: { id: 'U0ALICE', name: 'alice', team_id: SLACK_TEAM },
      team: { id: SLACK_TEAM, domain: 'paios-test' },
      channel: { id: 'C0GENERAL', name: 'general' },
      container: { type: 'message', message_ts: '1700000000.000900', channel_id: 'C0GENERAL', is_ephemeral: false },
      message: { type: 'message', ts: '1700000000.000900', text: 'Which one?' },
      actions: [
        {
          type: 'button',
          action_id: 'paios_choice_0',
          block_id: 'paios_choices',
          text: { type: 'plain_text', text: '#91 add' },
          value: '#91 add 4 4',
          action_ts: '1700000001.000100',
        },
      ],
    } as unknown as BlockAction<ButtonAction>;
    const res = await deliver(press as unknown as Record<string, unknown>, { form: 'payload' });
    expect(res.status).toBe(200);
    const answer = await eventually(() => postsTo((p) => p.text === '4 + 4 = 8')[0]);
    expect(answer).toMatchObject({ via: 'chat.postMessage', thread_ts: '1700000000.000900' });
  });

  it('asks for the master password in a modal, never in the conversation, and answers privately', async () => {
    const master = 'modal-master-password-42';
    const dm: GenericMessageEvent = {
      type: 'message',
      channel: 'D0ALICE',
      channel_type: 'im',
      user: 'U0ALICE',
      text: 'unlock my vault',
      ts: `${1_700_200_000 + ++seq}.000100`,
      event_ts: `${1_700_200_000 + seq}.000100`,
    } as GenericMessageEvent;
    await deliver(eventCallback(dm));
    const asked = await eventually(() => postsTo((p) => p.channel === 'D0ALICE' && /master password/.test(p.text))[0]);
    expect(asked.via).toBe('chat.postEphemeral');
    const button = asked.blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((e) => e.type === 'button' && e.action_id === 'paios_secret') as { value: string } | undefined;
    expect(button).toBeDefined();

    const n = ++seq;
    const press = {
      type: 'block_actions',
      trigger_id: `secret-${n}`,
      api_app_id: 'A0PAIOS',
      token: 'legacy-verification-token',
      user: { id: 'U0ALICE', name: 'alice', team_id: SLACK_TEAM },
      team: { id: SLACK_TEAM, domain: 'paios-test' },
      channel: { id: 'D0ALICE', name: 'directmessage' },
      container: { type: 'message', message_ts: '1700000000.000990', channel_id: 'D0ALICE', is_ephemeral: true },
      actions: [{ type: 'button', action_id: 'paios_secret', block_id: 'paios_secret', value: button!.value }],
    };
    expect((await deliver(press, { form: 'payload' })).status).toBe(200);
    const opened = await eventually(() => slack.views.find((v) => v.trigger_id === `secret-${n}`));
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'paios_secret_view' });

    const submission = {
      type: 'view_submission',
      team: { id: SLACK_TEAM, domain: 'paios-test' },
      user: { id: 'U0ALICE', name: 'alice', team_id: SLACK_TEAM },
      api_app_id: 'A0PAIOS',
      token: 'legacy-verification-token',
      trigger_id: `submit-${n}`,
      view: {
        ...opened.view,
        id: 'V1',
        team_id: SLACK_TEAM,
        state: { values: { secret: { value: { type: 'plain_text_input', value: master } } } },
      },
    };
    const submitted = await deliver(submission, { form: 'payload' });
    expect(submitted).toEqual({ status: 200, text: '' });
    const unlocked = await eventually(() => postsTo((p) => /vault is set up and unlocked/.test(p.text))[0]);
    expect(unlocked).toMatchObject({ via: 'chat.postEphemeral', channel: 'D0ALICE', user: 'U0ALICE' });
    expect(JSON.stringify(slack.posts)).not.toContain(master);
    // The token is used once: a second submission is refused.
    await deliver({ ...submission, trigger_id: `again-${n}` }, { form: 'payload' });
    await eventually(() => postsTo((p) => /request has expired/.test(p.text))[0]);
  });

  it('transcribes an audio clip sent in a direct message and answers in the DM', async () => {
    const wav = execFileSync('espeak-ng', ['--stdout', 'add twenty and twenty two']);
    const clip = execFileSync(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-f', 'webm', 'pipe:1'],
      {
        input: wav,
      },
    );
    slack.files.set('clip.webm', { type: 'audio/webm', data: clip });
    const ts = `${1_700_200_000 + ++seq}.000300`;
    const dm = {
      type: 'message',
      subtype: 'file_share',
      channel: 'D0ALICE',
      channel_type: 'im',
      user: 'U0ALICE',
      text: '',
      ts,
      event_ts: ts,
      files: [
        {
          id: 'F0CLIP',
          name: 'audio_message.webm',
          mimetype: 'audio/webm',
          filetype: 'webm',
          url_private_download: slack.fileUrl('clip.webm'),
        },
      ],
    } as unknown as GenericMessageEvent;
    const before = slack.posts.length;
    await deliver(eventCallback(dm));
    const answer = await eventually(() => slack.posts.slice(before).find((p) => p.channel === 'D0ALICE'));
    expect(answer.text).toContain('20 + 22 = 42');
    expect(answer.text).toContain('🎙');
    const heard = stt.requests.at(-1)!.files.file!;
    expect(heard.data.equals(clip)).toBe(true);
  });
});

describe('Slack adapter in Socket Mode (no public address)', () => {
  const APP_TOKEN = 'xapp-1-A0PAIOS-1234-socketmode';
  let slack: SlackFake;
  let chat: ChatApp;

  beforeAll(async () => {
    slack = await new SlackFake(TOKEN, APP_TOKEN).start();
    const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.apiUrl };
    chat = await startChatApp({ env, modules: [SlackModule.forRoot(testConfig(env), 'server')] });
    await chat.pair('slack', 'U0ALICE', SLACK_TEAM);
    await waitFor(() => slack.socketConnections > 0, 30_000);
  });
  afterAll(async () => {
    await chat?.close();
    await slack?.stop();
  });

  it('takes a slash command over the socket, acks its envelope, and answers at the response_url', async () => {
    const command = slack.slashCommand('#91 add 8 9', 'socket-1');
    const envelope = slack.pushEnvelope('slash_commands', command);
    await eventually(() => slack.socketAcks.find((a) => a.envelope_id === envelope));
    const answer = await eventually(() => slack.posts.find((p) => p.via === 'response_url' && p.text === '8 + 9 = 17'));
    expect(answer.response_type).toBe('in_channel');
    // HTTP events are off in Socket Mode: nothing listens at /slack/events.
    expect((await fetch(`${chat.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
