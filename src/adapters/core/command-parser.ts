import { parseAddress } from '../../orchestrator/router/address.parser.js';

/**
 * The one reading of chat commands, for every platform: a Slack or Discord slash command arrives as a
 * name and its text, a Telegram command as the first word of a message ("/invoice@paios_bot ACME"),
 * and plain messages may ask for an agent channel. What comes out is platform-neutral: answer with
 * the welcome or the help, create an agent channel, or hand a message (maybe aimed at an agent) to
 * the gateway.
 */

export type ChatCommand =
  | { kind: 'start' }
  | { kind: 'help' }
  | { kind: 'create-channel'; agentNumber: number }
  | { kind: 'message'; text: string; agentHint?: number };

/** The agents a command word may name; the AgentRegistry in production. */
export interface AgentDirectory {
  findByName(name: string): { agentNumber: number } | undefined;
  list(): { agentNumber: number; name: string }[];
}

export interface CommandInput {
  /** A slash command's name without its slash ('paios', 'invoice', '15'); none for a plain message. */
  command?: string;
  /** What follows the command, or the whole message. */
  text: string;
}

export interface CommandOptions {
  /** The agents "/paios invoicing ..." may name. */
  agents?: AgentDirectory;
  /** The agent a command other than /paios stands for; unknown words stay part of the message. */
  agentFor?: (command: string) => number | undefined;
  /** Whether "create a channel for #15" is understood (Discord, where agent channels exist). */
  agentChannels?: boolean;
}

/** Commands that only mean "talk to paios", without choosing an agent. */
const GENERAL = new Set(['paios', 'ask', 'ai']);
const CHANNEL_COMMAND = 'paios-channel';
const CREATE_CHANNEL = /^(?:please\s+)?(?:create|make|open)\s+(?:a\s+)?channel\s+for\s+(?:agent\s+)?#?(\d{1,3})\b/i;
const LEADING = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+|$)/;

/** A command at the start of a message ("/name@bot rest"), as Telegram writes them. */
export function leadingCommand(text: string): { name: string; bot?: string; rest: string } | null {
  const match = LEADING.exec(text);
  if (!match) return null;
  return { name: match[1]!.toLowerCase(), bot: match[2], rest: text.slice(match[0].length) };
}

export function parseCommand(input: CommandInput, options: CommandOptions = {}): ChatCommand {
  const text = input.text.trim();
  const name = input.command?.replace(/^\//, '').toLowerCase();
  if (name === undefined) {
    const create = options.agentChannels ? CREATE_CHANNEL.exec(text) : null;
    return create ? { kind: 'create-channel', agentNumber: Number(create[1]) } : { kind: 'message', text };
  }
  if (name === 'start') return { kind: 'start' };
  if (name === 'help') return { kind: 'help' };
  if (name === CHANNEL_COMMAND && /^#?\d{1,3}$/.test(text))
    return { kind: 'create-channel', agentNumber: Number(text.replace('#', '')) };
  if (GENERAL.has(name)) return generalMessage(text, options.agents);
  const agentHint = options.agentFor?.(name);
  if (agentHint !== undefined) return { kind: 'message', text, agentHint };
  // A command that names no agent may still name a tool ("/remember milk"): keep its word.
  return { kind: 'message', text: [name, text].filter(Boolean).join(' ') };
}

/**
 * "/paios ..." without more is a plea for help. When its first word addresses an agent
 * ("/paios 15 ...", "/paios #15 ...", "/paios @invoicing ...") the router reads the address from
 * "/paios ..." itself; anything else is the request alone, so that "approve ABCD-1234" or "send me a
 * digest ..." reads the same typed after /paios as written to paios directly.
 */
function generalMessage(text: string, agents: AgentDirectory | undefined): ChatCommand {
  if (!text) return { kind: 'message', text: 'help' };
  const address = parseAddress(`/paios ${text}`);
  const addressed =
    address !== null &&
    (typeof address.agent === 'number' || text.startsWith('@') || !!agents?.findByName(address.agent));
  return { kind: 'message', text: addressed ? `/paios ${text}` : text };
}

/** Telegram's way of naming agents: /15, /invoicing, or /invoice for the one agent whose name starts so. */
export function agentByCommand(agents: AgentDirectory): (command: string) => number | undefined {
  return (command) => {
    if (/^\d{1,3}$/.test(command)) return Number(command);
    const exact = agents.findByName(command);
    if (exact) return exact.agentNumber;
    const prefixed = agents.list().filter((a) => a.name.startsWith(command));
    return prefixed.length === 1 ? prefixed[0]!.agentNumber : undefined;
  };
}
