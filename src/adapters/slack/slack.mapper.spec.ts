import { describe, expect, it } from '@jest/globals';
import type { BlockAction, ButtonAction, SlashCommand, ViewOutput } from '@slack/bolt';
import type { AppMentionEvent, GenericMessageEvent } from '@slack/types';
import {
  fromAppMention,
  fromButtonPress,
  fromDirectMessage,
  fromSecretSubmission,
  fromSlashCommand,
  secretModal,
  toBlocks,
} from './slack.mapper.js';

const envelope = { team_id: 'T0TEAM', event_id: 'Ev1' };
const download = (url: string) => Promise.resolve(Buffer.from(url));

function command(fields: Partial<SlashCommand>): SlashCommand {
  return {
    token: 't',
    command: '/paios',
    text: '',
    response_url: 'https://hooks.slack.test/1',
    trigger_id: 'tr1',
    user_id: 'U0ALICE',
    user_name: 'alice',
    team_id: 'T0TEAM',
    team_domain: 'paios',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    api_app_id: 'A0PAIOS',
    ...fields,
  };
}

describe('Slack mapper', () => {
  it('reads /paios and per-agent slash commands', () => {
    const options = { agentFor: (name: string) => ({ invoice: 15 })[name] };
    expect(fromSlashCommand(command({ text: 'add 2 3' }), options)).toEqual({
      platform: 'slack',
      eventId: 'command:tr1',
      address: { platform: 'slack', workspace: 'T0TEAM', channel: 'C0GENERAL' },
      sender: { id: 'U0ALICE', name: 'alice' },
      text: 'add 2 3',
      agentHint: undefined,
      direct: false,
    });
    expect(fromSlashCommand(command({ text: ' ' }), options)).toMatchObject({ text: 'help' });
    expect(fromSlashCommand(command({ text: '15 ACME' }), options)).toMatchObject({ text: '/paios 15 ACME' });
    expect(
      fromSlashCommand(command({ command: '/invoice', text: 'ACME', channel_name: 'directmessage' }), options),
    ).toMatchObject({ text: 'ACME', agentHint: 15, direct: true });
  });

  it('answers a mention in its thread, without the mention, and skips bots', async () => {
    const event: AppMentionEvent = {
      type: 'app_mention',
      user: 'U0ALICE',
      text: '<@U0BOT> add 2 3',
      ts: '17.1',
      channel: 'C0GENERAL',
      event_ts: '17.1',
      files: [
        { id: 'F1', name: 'memo.m4a', mimetype: 'audio/mp4', url_private_download: 'https://files.test/F1' },
      ] as AppMentionEvent['files'],
    };
    const msg = fromAppMention(event, envelope, download)!;
    expect(msg).toMatchObject({
      eventId: 'Ev1',
      address: { channel: 'C0GENERAL', thread: '17.1', workspace: 'T0TEAM' },
      text: 'add 2 3',
      direct: false,
    });
    expect(msg.audio).toMatchObject({ mimeType: 'audio/mp4', filename: 'memo.m4a' });
    expect((await msg.audio!.load()).toString()).toBe('https://files.test/F1');
    expect(fromAppMention({ ...event, bot_id: 'B1' }, envelope, download)).toBeNull();
  });

  it('takes direct messages only, from people', () => {
    const dm: GenericMessageEvent = {
      type: 'message',
      subtype: undefined,
      event_ts: '1',
      channel: 'D0ALICE',
      user: 'U0ALICE',
      text: 'hello',
      ts: '1',
      channel_type: 'im',
    };
    expect(fromDirectMessage(dm, envelope, download)).toMatchObject({ text: 'hello', direct: true, audio: undefined });
    expect(fromDirectMessage({ ...dm, channel_type: 'channel' }, envelope, download)).toBeNull();
    expect(fromDirectMessage({ ...dm, bot_id: 'B1' }, envelope, download)).toBeNull();
  });

  it('reads a button press as the person saying its value in the same thread', () => {
    const body = {
      type: 'block_actions',
      trigger_id: 'tr9',
      user: { id: 'U0ALICE', name: 'alice' },
      team: { id: 'T0TEAM' },
      channel: { id: 'D0ALICE' },
      message: { ts: '5.5', thread_ts: '5.1' },
    } as unknown as BlockAction<ButtonAction>;
    const action = { value: '#15 create_invoice' } as ButtonAction;
    expect(fromButtonPress(body, action)).toMatchObject({
      eventId: 'action:tr9',
      address: { channel: 'D0ALICE', thread: '5.1' },
      text: '#15 create_invoice',
      direct: true,
    });
  });

  it('carries the secret prompt through the modal and back, never showing a value', () => {
    const address = { platform: 'slack' as const, workspace: 'T0TEAM', channel: 'D0ALICE' };
    const modal = secretModal({ token: 'tok', label: 'Master password' }, address);
    const view = {
      private_metadata: modal.private_metadata,
      state: { values: { secret: { value: { type: 'plain_text_input', value: 'hunter2' } } } },
    } as unknown as ViewOutput;
    expect(fromSecretSubmission(view, 'U0ALICE')).toEqual({
      token: 'tok',
      address,
      value: 'hunter2',
      senderId: 'U0ALICE',
      direct: true,
    });
  });

  it('renders a reply as mrkdwn sections with choice buttons and the secret button', () => {
    const { text, blocks } = toBlocks({
      text: '**Pick** one',
      buttons: [{ label: 'Yes', value: 'yes', style: 'primary' }],
      secretPrompt: { token: 'tok', label: 'Master password' },
    });
    expect(text).toBe('*Pick* one');
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Pick* one', verbatim: true } },
      {
        type: 'actions',
        block_id: 'paios_choices',
        elements: [
          {
            type: 'button',
            action_id: 'paios_choice_0',
            text: { type: 'plain_text', text: 'Yes', emoji: true },
            value: 'yes',
            style: 'primary',
          },
        ],
      },
      {
        type: 'actions',
        block_id: 'paios_secret',
        elements: [
          {
            type: 'button',
            action_id: 'paios_secret',
            text: { type: 'plain_text', text: 'Enter master password' },
            value: 'tok',
            style: 'primary',
          },
        ],
      },
    ]);
  });
});
