/**
 * Explicit addressing in a message: `/paios 15 ...`, `/paios #15 ...`, `/paios invoicing ...`,
 * `#15 ...`, `@invoicing ...`, `15: ...`. Pure: no knowledge of which agents exist.
 */
export interface Address {
  /** An agent number, or a name to look up. */
  agent: number | string;
  /** The message without the address. */
  rest: string;
}

const SLASH = /^\/paios(?:@\S+)?\s+/i; // Telegram appends @botname to commands
const NUMBER = /^#?(\d{1,3})(?::|\s|$)\s*/;
const MENTION = /^@([a-z][a-z0-9-]*)(?::|\s|$)\s*/i;
const NAME = /^([a-z][a-z0-9-]*)(?::|\s|$)\s*/i;
const COLON_NUMBER = /^(\d{1,3}):\s*/;

export function parseAddress(input: string): Address | null {
  let text = input.trim();
  const slash = SLASH.exec(text);
  if (slash) {
    text = text.slice(slash[0].length);
    const n = NUMBER.exec(text);
    if (n) return { agent: Number(n[1]), rest: text.slice(n[0].length).trim() };
    const m = MENTION.exec(text) ?? NAME.exec(text);
    // After /paios a bare word may be an agent name or simply the start of the request;
    // the router decides, so report it as a name candidate.
    if (m) return { agent: m[1]!.toLowerCase(), rest: text.slice(m[0].length).trim() };
    return null;
  }
  const hash = /^#(\d{1,3})(?::|\s|$)\s*/.exec(text) ?? COLON_NUMBER.exec(text);
  if (hash) return { agent: Number(hash[1]), rest: text.slice(hash[0].length).trim() };
  const mention = MENTION.exec(text);
  if (mention) return { agent: mention[1]!.toLowerCase(), rest: text.slice(mention[0].length).trim() };
  return null;
}

/** The text after `/paios`, for when the word after it was not an agent name after all. */
export function stripSlashCommand(input: string): string {
  return input.trim().replace(SLASH, '');
}
