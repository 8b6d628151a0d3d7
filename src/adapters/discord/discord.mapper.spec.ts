import { describe, expect, it } from '@jest/globals';
import {
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIInteraction,
  type APIUser,
  type GatewayMessageCreateDispatchData,
} from 'discord-api-types/v10';
import { fromMessageCreate, messageBody, readInteraction, secretModal } from './discord.mapper.js';

const BOT = '900';
const alice: APIUser = { id: '100', username: 'alice', discriminator: '0', global_name: null, avatar: null };
const download = (url: string) => Promise.resolve(Buffer.from(url));

function message(fields: Partial<GatewayMessageCreateDispatchData>): GatewayMessageCreateDispatchData {
  return {
    id: 'm1',
    channel_id: 'C1',
    guild_id: 'G1',
    author: alice,
    content: '',
    timestamp: '2026-01-01T00:00:00.000Z',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    ...fields,
  };
}

function command(name: string, options: { name: string; type: number; value: unknown }[], guild = true) {
  return {
    id: 'i1',
    application_id: 'A1',
    type: InteractionType.ApplicationCommand,
    token: 'tok',
    version: 1,
    channel_id: 'C1',
    ...(guild ? { guild_id: 'G1', member: { user: alice } } : { user: alice }),
    data: { id: 'cmd', name, type: 1, options },
  } as unknown as APIInteraction;
}

describe('Discord mapper', () => {
  it('takes DMs, messages in bound channels and mentions; ignores chatter and bots', () => {
    expect(fromMessageCreate(message({ content: 'add 2 3' }), BOT, 91, download)).toEqual({
      kind: 'message',
      message: {
        platform: 'discord',
        eventId: 'message:m1',
        address: { platform: 'discord', workspace: 'G1', channel: 'C1' },
        sender: { id: '100', name: 'alice' },
        text: 'add 2 3',
        audio: undefined,
        agentHint: 91,
        direct: false,
      },
    });
    expect(fromMessageCreate(message({ content: 'lunch?' }), BOT, undefined, download)).toBeNull();
    const mention = message({ content: `<@${BOT}> #91 add 6 7`, mentions: [{ ...alice, id: BOT }] });
    expect(fromMessageCreate(mention, BOT, undefined, download)).toMatchObject({ message: { text: '#91 add 6 7' } });
    const dm = message({ content: 'hi', guild_id: undefined });
    expect(fromMessageCreate(dm, BOT, undefined, download)).toMatchObject({
      message: { direct: true, address: { workspace: '' } },
    });
    const bot = message({ content: 'hi', author: { ...alice, bot: true }, guild_id: undefined });
    expect(fromMessageCreate(bot, BOT, undefined, download)).toBeNull();
  });

  it('reads a channel request in a server, and a voice message as audio', async () => {
    const ask = message({ content: `<@${BOT}> create a channel for #91`, mentions: [{ ...alice, id: BOT }] });
    expect(fromMessageCreate(ask, BOT, undefined, download)).toEqual({
      kind: 'create-channel',
      request: { platformUserId: '100', guildId: 'G1', agentNumber: 91 },
      channelId: 'C1',
    });
    const voice = message({
      guild_id: undefined,
      flags: MessageFlags.IsVoiceMessage,
      attachments: [
        {
          id: 'a',
          filename: 'voice-message.ogg',
          size: 9,
          url: 'https://cdn.test/v.ogg',
          proxy_url: '',
          duration_secs: 2,
        },
      ],
    });
    const inbound = fromMessageCreate(voice, BOT, undefined, download);
    if (inbound?.kind !== 'message') throw new Error('expected a message');
    expect(inbound.message.audio).toMatchObject({
      mimeType: 'audio/ogg',
      filename: 'voice-message.ogg',
      durationSeconds: 2,
    });
    expect((await inbound.message.audio!.load()).toString()).toBe('https://cdn.test/v.ogg');
  });

  it('reads slash commands through the shared command parser', () => {
    expect(readInteraction(command('paios', [{ name: 'text', type: 3, value: '#15 invoice Acme' }]))).toMatchObject({
      kind: 'command',
      origin: { eventId: 'interaction:i1', sender: { id: '100' }, direct: false },
      command: { kind: 'message', text: '/paios #15 invoice Acme' },
    });
    expect(readInteraction(command('paios-channel', [{ name: 'agent', type: 4, value: 91 }], false))).toMatchObject({
      kind: 'command',
      origin: { direct: true },
      command: { kind: 'create-channel', agentNumber: 91 },
    });
  });

  it('tells secret buttons, secret modals and choice buttons apart', () => {
    const base = { id: 'i2', application_id: 'A1', token: 't', version: 1, channel_id: 'C1', user: alice };
    const press = (custom_id: string) =>
      readInteraction({
        ...base,
        type: InteractionType.MessageComponent,
        data: { custom_id, component_type: ComponentType.Button },
      } as unknown as APIInteraction);
    expect(press('paios-secret:tok')).toMatchObject({ kind: 'open-secret', token: 'tok' });
    expect(press('b:123')).toMatchObject({ kind: 'button', customId: 'b:123' });
    const modal = secretModal({ token: 'tok', label: 'Master password' });
    expect(modal.type).toBe(InteractionResponseType.Modal);
    const submit = readInteraction({
      ...base,
      type: InteractionType.ModalSubmit,
      data: {
        custom_id: 'paios-secret:tok',
        components: [
          {
            type: ComponentType.Label,
            id: 1,
            component: { type: ComponentType.TextInput, id: 2, custom_id: 'value', value: 'hunter2' },
          },
        ],
      },
    } as unknown as APIInteraction);
    expect(submit).toMatchObject({ kind: 'submit-secret', token: 'tok', value: 'hunter2' });
  });

  it('puts buttons, the secret button and files on a message body, and never pings', () => {
    const body = messageBody(
      'Pick',
      {
        text: 'Pick',
        buttons: [{ label: 'Delete', value: 'delete it', style: 'danger' }],
        secretPrompt: { token: 'tok', label: 'Master password' },
        attachments: [{ filename: 'chart.png', mimeType: 'image/png', data: 'iVBO' }],
      },
      ['b:1'],
    );
    expect(body).toEqual({
      content: 'Pick',
      allowed_mentions: { parse: [] },
      components: [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Delete', custom_id: 'b:1' }],
        },
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.Button,
              style: ButtonStyle.Primary,
              label: 'Enter master password',
              custom_id: 'paios-secret:tok',
            },
          ],
        },
      ],
      attachments: [{ id: 0, filename: 'chart.png' }],
    });
  });
});
