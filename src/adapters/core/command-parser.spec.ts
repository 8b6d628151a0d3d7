import { describe, expect, it } from '@jest/globals';
import { agentByCommand, leadingCommand, parseCommand } from './command-parser.js';

const agents = {
  list: () => [
    { agentNumber: 15, name: 'invoicing' },
    { agentNumber: 1, name: 'business-intelligence' },
  ],
  findByName(name: string) {
    return this.list().find((a) => a.name === name);
  },
};
const options = { agents, agentFor: agentByCommand(agents) };

describe('command parser', () => {
  it('reads /paios the same on every platform', () => {
    expect(parseCommand({ command: 'paios', text: '  ' }, options)).toEqual({ kind: 'message', text: 'help' });
    expect(parseCommand({ command: '/paios', text: 'add 2 3' }, options)).toEqual({ kind: 'message', text: 'add 2 3' });
    expect(parseCommand({ command: 'ask', text: 'approve ABCD-1234' }, options)).toEqual({
      kind: 'message',
      text: 'approve ABCD-1234',
    });
  });

  it('leaves an agent address after /paios for the router to read', () => {
    for (const text of ['15 invoice Acme', '#15 invoice Acme', '@invoicing overdue?', 'invoicing overdue?', '99 x'])
      expect(parseCommand({ command: 'paios', text }, options)).toEqual({ kind: 'message', text: `/paios ${text}` });
  });

  it('aims an agent command at its agent, and keeps a word that names none', () => {
    expect(parseCommand({ command: '15', text: 'ACME' }, options)).toEqual({
      kind: 'message',
      text: 'ACME',
      agentHint: 15,
    });
    expect(parseCommand({ command: 'invo', text: 'ACME 3 hours' }, options)).toMatchObject({ agentHint: 15 });
    expect(parseCommand({ command: 'business-intelligence', text: '' }, options)).toMatchObject({ agentHint: 1 });
    expect(parseCommand({ command: 'remember', text: 'milk' }, options)).toEqual({
      kind: 'message',
      text: 'remember milk',
    });
    const slack = { agentFor: (name: string) => ({ invoice: 15 })[name] };
    expect(parseCommand({ command: '/invoice', text: 'Acme' }, slack)).toEqual({
      kind: 'message',
      text: 'Acme',
      agentHint: 15,
    });
  });

  it('knows /start, /help and the agent-channel request where channels exist', () => {
    expect(parseCommand({ command: 'start', text: '' })).toEqual({ kind: 'start' });
    expect(parseCommand({ command: 'help', text: 'me' })).toEqual({ kind: 'help' });
    expect(parseCommand({ command: 'paios-channel', text: '15' })).toEqual({ kind: 'create-channel', agentNumber: 15 });
    expect(parseCommand({ text: 'please create a channel for agent #91' }, { agentChannels: true })).toEqual({
      kind: 'create-channel',
      agentNumber: 91,
    });
    expect(parseCommand({ text: 'create a channel for #91' })).toEqual({
      kind: 'message',
      text: 'create a channel for #91',
    });
  });

  it('finds a command at the start of a message, with the bot it names', () => {
    expect(leadingCommand('/Invoice@paios_bot ACME 3')).toEqual({ name: 'invoice', bot: 'paios_bot', rest: 'ACME 3' });
    expect(leadingCommand('/help')).toEqual({ name: 'help', bot: undefined, rest: '' });
    expect(leadingCommand('hello /help')).toBeNull();
  });
});
