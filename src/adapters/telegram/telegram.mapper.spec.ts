import type { Message } from 'grammy/types';
import { fromCallback, fromMessage } from './telegram.mapper.js';

const bot = { id: 42, username: 'paios_bot' };
const alice = { id: 7, is_bot: false, first_name: 'Alice', last_name: 'Liddell' };
const dm = { id: 7, type: 'private' as const, first_name: 'Alice' };
const group = { id: -100, type: 'supergroup' as const, title: 'Team', is_forum: true as const };

function message(fields: Partial<Message>): Message {
  return { message_id: 1, date: 0, chat: dm, from: alice, ...fields };
}

describe('Telegram mapper', () => {
  it('takes every private message, with the sender and the chat as address', () => {
    expect(fromMessage(5, message({ text: 'what did we make this month' }), bot)).toEqual({
      eventId: '5',
      address: { platform: 'telegram', workspace: '', channel: '7' },
      sender: { id: '7', name: 'Alice Liddell' },
      text: 'what did we make this month',
      audio: undefined,
      command: undefined,
      direct: true,
      replyTo: undefined,
      messageId: 1,
    });
  });

  it('in groups takes only commands, mentions and replies to the bot', () => {
    const inGroup = (f: Partial<Message>) => fromMessage(6, message({ chat: group, ...f }), bot);
    expect(inGroup({ text: 'lunch anyone?' })).toBeNull();
    expect(inGroup({ text: '/paios@other_bot hi' })).toBeNull();
    expect(inGroup({ text: '/paios@Paios_Bot add 2 3' })).toMatchObject({ text: 'add 2 3', command: 'paios' });
    expect(
      inGroup({ text: 'hey @paios_bot add 2 3', entities: [{ type: 'mention', offset: 4, length: 10 }] }),
    ).toMatchObject({ text: 'hey add 2 3', direct: false, replyTo: 1 });
    expect(
      inGroup({ text: 'and 4?', reply_to_message: message({ from: { ...alice, id: 42, is_bot: true } }) as never }),
    ).toMatchObject({ text: 'and 4?' });
  });

  it('keeps the forum topic as the thread', () => {
    const m = fromMessage(
      7,
      message({ chat: group, text: '/help', message_thread_id: 12, is_topic_message: true }),
      bot,
    );
    expect(m).toMatchObject({ command: 'help', address: { channel: '-100', thread: '12' } });
  });

  it('finds the command a message starts with, for the shared command parser', () => {
    expect(fromMessage(1, message({ text: '/start' }), bot)?.command).toBe('start');
    expect(fromMessage(1, message({ text: '/invoice ACME 3 hours' }), bot)).toMatchObject({
      command: 'invoice',
      text: 'ACME 3 hours',
    });
    expect(fromMessage(1, message({ text: '/15 ACME' }), bot)).toMatchObject({ command: '15', text: 'ACME' });
    expect(fromMessage(1, message({ text: '/Paios add 2 3' }), bot)).toMatchObject({
      command: 'paios',
      text: 'add 2 3',
    });
    expect(fromMessage(1, message({ text: 'add 2 3' }), bot)).toMatchObject({ command: undefined, text: 'add 2 3' });
  });

  it('turns voice notes and audio files into audio to fetch', () => {
    const voice = { file_id: 'F1', file_unique_id: 'U1', duration: 3, mime_type: 'audio/ogg', file_size: 900 };
    expect(fromMessage(2, message({ voice }), bot)?.audio).toEqual({
      fileId: 'F1',
      mimeType: 'audio/ogg',
      filename: 'voice.ogg',
      durationSeconds: 3,
      fileSize: 900,
    });
    const audio = { file_id: 'F2', file_unique_id: 'U2', duration: 9, file_name: 'memo.mp3' };
    expect(fromMessage(3, message({ audio }), bot)?.audio).toMatchObject({
      filename: 'memo.mp3',
      mimeType: 'audio/mpeg',
    });
    expect(fromMessage(4, message({ from: { ...alice, is_bot: true }, text: 'hi' }), bot)).toBeNull();
  });

  it('dedupes a button press by its callback query id', () => {
    const press = fromCallback({
      id: 'cb9',
      from: alice,
      chat_instance: 'x',
      data: 'b:abc',
      message: message({ chat: group, message_thread_id: 4, is_topic_message: true, text: 'Pick' }),
    });
    expect(press).toMatchObject({ eventId: 'callback:cb9', data: 'b:abc', address: { channel: '-100', thread: '4' } });
  });
});
