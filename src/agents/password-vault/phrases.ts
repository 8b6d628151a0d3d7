/**
 * Reading vault requests typed in chat: which service, and which fields with which values.
 * Values are single words or "quoted strings"; anything longer belongs in the REST API.
 */

const FILLER = new Set(
  "a an the my our me for of to in on at is are what whats what's show reveal get give tell find open read fetch display copy send login logins credential credentials password passwords pass pw pwd key keys api apikey token secret secrets code codes totp otp 2fa mfa one time current please now vault entry store save remember keep add new put update change set rotate delete remove forget drop erase with and from as username user email".split(
    ' ',
  ),
);

const VALUE = String.raw`("[^"]*"|'[^']*'|\S+)`;
const FIELD_PATTERNS: [field: SecretField, pattern: RegExp][] = [
  ['username', new RegExp(String.raw`\b(?:username|user(?:\s*name)?|login|email)\s*(?:is|:|=)?\s*${VALUE}`, 'i')],
  ['password', new RegExp(String.raw`\b(?:password|passwd|pass|pw|pwd)\s*(?:is|:|=)?\s*${VALUE}`, 'i')],
  ['apiKey', new RegExp(String.raw`\b(?:api[\s_-]?key|apikey|key|token|secret)\s*(?:is|:|=)?\s*${VALUE}`, 'i')],
  ['totp', new RegExp(String.raw`\b(?:totp|2fa|otp|mfa)(?:\s+secret)?\s*(?:is|:|=)?\s*${VALUE}`, 'i')],
];

export type SecretField = 'username' | 'password' | 'apiKey' | 'totp' | 'notes';

const unquote = (v: string) => (/^(["']).*\1$/.test(v) ? v.slice(1, -1) : v);

/** Field values named in the text ("user alice password hunter2", "totp otpauth://..."). */
export function fieldsFrom(text: string): Partial<Record<SecretField, string>> {
  const found: Partial<Record<SecretField, string>> = {};
  for (const [field, pattern] of FIELD_PATTERNS) {
    const m = pattern.exec(text);
    if (m?.[1] && !/^(?:for|is|of)$/i.test(m[1])) found[field] = unquote(m[1]);
  }
  const otpauth = /\botpauth:\/\/\S+/i.exec(text);
  if (otpauth) found.totp = otpauth[0];
  const notes = /\bnotes?\s*(?::|=)\s*(.+)$/i.exec(text);
  if (notes?.[1]) found.notes = notes[1].trim();
  // "store github password hunter2" must not take "password" for the username or the key.
  if (found.apiKey && /^(?:password|pass|pw)$/i.test(found.apiKey)) delete found.apiKey;
  return found;
}

/**
 * The service a vault request is about: "store github password x" -> github, "add a password for
 * gitlab" -> gitlab, "what's my stripe key" -> stripe. Lower-cased, as the agent keeps names.
 */
export function serviceFrom(text: string): string | undefined {
  const forMatch = /\bfor\s+([\w.@-]+)/i.exec(text);
  if (forMatch && !FILLER.has(forMatch[1]!.toLowerCase())) return forMatch[1]!.toLowerCase();
  // Values are not service names: drop "password hunter2" style pairs first.
  let rest = text.replace(/\botpauth:\/\/\S+/gi, ' ');
  for (const [, pattern] of FIELD_PATTERNS) rest = rest.replace(pattern, ' ');
  rest = rest.replace(/\bnotes?\s*(?::|=).*$/i, ' ');
  for (const word of rest.split(/[\s,;:!?]+/)) {
    const w = word.replace(/^['"]|['"]$|'s$/g, '').toLowerCase();
    if (w && /^[\w.@-]+$/.test(w) && !FILLER.has(w) && !/^#\d+$/.test(w)) return w;
  }
  return undefined;
}
