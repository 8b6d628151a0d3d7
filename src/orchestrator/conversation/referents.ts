/**
 * What a conversation can point back to ("them", "that invoice", "it", "the same for Globex"): the
 * client, invoice, project and URL its last tool calls were about, read from their parameters and
 * results, and the rewriting of a message that refers to them. Pure: the conversation service feeds
 * it the remembered turns and routes what it returns.
 */

export const REFERENT_KINDS = ['client', 'invoice', 'project', 'url'] as const;
export type ReferentKind = (typeof REFERENT_KINDS)[number];

/** The latest thing of each kind a conversation talked about; `focus` is the kind named last. */
export type Referents = Partial<Record<ReferentKind, string>> & { focus?: ReferentKind };

/** A tool call as a conversation remembers it. */
export interface RememberedCall {
  agentNumber: number;
  tool: string;
  parameters: Record<string, unknown>;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The one thing a result is about: an object, or a list of exactly one. */
function subject(data: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(data)) return data.length === 1 && isRecord(data[0]) ? data[0] : undefined;
  return isRecord(data) ? data : undefined;
}

/**
 * The referents one successful call leaves behind. The result wins over the parameters ("acme" was
 * asked, "Acme" is the client's name); a tool about clients or projects names one by `name`.
 */
export function referentsOf(call: RememberedCall, data: unknown): Referents {
  const out: Referents = {};
  const about = (kind: string) => new RegExp(`(^|_)${kind}s?(_|$)`).test(call.tool);
  const sources = [subject(data), call.parameters];
  for (const src of sources) {
    if (!src) continue;
    out.client ??= text(src.client) ?? text(src.clientName) ?? (about('client|customer') ? text(src.name) : undefined);
    out.invoice ??= text(src.invoice) ?? text(src.invoiceNumber) ?? (about('invoice') ? text(src.number) : undefined);
    out.project ??= text(src.project) ?? (about('project') ? (text(src.name) ?? text(src.title)) : undefined);
    out.url ??= text(src.url) ?? text(src.link) ?? text(src.pageUrl);
  }
  if (out.url && !/^https?:\/\//i.test(out.url)) delete out.url;
  // What the call was mainly about: its own kind first, then whatever it touched.
  out.focus =
    REFERENT_KINDS.find((k) => out[k] !== undefined && about(k === 'client' ? 'client|customer' : k)) ??
    (['invoice', 'project', 'url', 'client'] as const).find((k) => out[k] !== undefined);
  if (!out.focus) delete out.focus;
  return out;
}

/** Newest first in, one set out: each kind from the most recent turn that named it. */
export function mergeReferents(newestFirst: Referents[]): Referents {
  const out: Referents = {};
  for (const r of newestFirst) {
    out.focus ??= r.focus;
    for (const k of REFERENT_KINDS) out[k] ??= r[k];
  }
  if (!out.focus) delete out.focus;
  return out;
}

/** Lower case only: "Her Majesty's Theatre" is a name. */
const CLIENT_PRONOUNS = /\b(?:them|him|her)\b/g;
const CLIENT_WORDS = /\b(?:that (?:client|customer)|this (?:client|customer)|the same (?:client|customer))\b/gi;
const INVOICE_WORDS = /\b(?:that invoice|this invoice|the same invoice|the one I just (?:made|created))\b/gi;
const PROJECT_WORDS = /\b(?:that project|this project|the same project)\b/gi;
const URL_WORDS =
  /\b(?:that (?:link|url|page|site|website)|this (?:link|url|page|site|website)|the same (?:link|url|page|site|website))\b/gi;
/**
 * "it" as the thing acted on ("send it", "void it", "mark it paid", "the pdf of it"), never "is it",
 * "it's" or "call it a day".
 */
const IT =
  /\b((?:send|resend|void|cancel|mark|e-?mail|mail|forward|delete|remove|show|open|download|print|fetch|scrape|watch|check|share|post|publish|summari[sz]e|read|pay|close|complete|finish|update|archive)\s+|(?:of|on|about)\s+)it\b(?!['’])/gi;

export interface Resolution {
  text: string;
  /** Which referents the words pointed at (empty: nothing was rewritten). */
  used: ReferentKind[];
}

/**
 * Rewrites words that point back into what they point at, before the router reads them:
 * "invoice them for 5 hours" -> "invoice Acme for 5 hours", "send it" -> "send INV-2026-0001".
 * A word whose referent the conversation does not know is left alone (and the router asks back).
 */
export function resolveReferences(said: string, referents: Referents): Resolution {
  const used = new Set<ReferentKind>();
  // Quoted words are someone's words (a post, a note): they are left as said.
  const parts = said.split(/("[^"]*"|“[^”]*”)/);
  const swap = (pattern: RegExp, kind: ReferentKind) => {
    const value = referents[kind];
    if (!value) return;
    for (let i = 0; i < parts.length; i += 2)
      parts[i] = parts[i]!.replace(pattern, (_whole, lead?: unknown) => {
        used.add(kind);
        return `${typeof lead === 'string' ? lead : ''}${value}`;
      });
  };
  swap(INVOICE_WORDS, 'invoice');
  swap(PROJECT_WORDS, 'project');
  swap(URL_WORDS, 'url');
  swap(CLIENT_WORDS, 'client');
  swap(CLIENT_PRONOUNS, 'client');
  // "it" is the thing the conversation is about: the last invoice, project or page (a client is "them").
  const it = referents.focus && referents.focus !== 'client' ? referents.focus : undefined;
  if (it) swap(IT, it);
  return { text: parts.join(''), used: [...used] };
}

const SAME_FOR =
  /^(?:(?:and|now|ok|okay|then|please)[,\s]+)*(?:do\s+)?(?:the\s+)?same(?:\s+(?:thing|again))?\s+(?:for|with|to)\s+(.+?)(?:\s+(?:please|too|as well))?[.!]?$/i;

/** "the same for Globex" -> "Globex"; undefined for anything else. */
export function sameFor(said: string): string | undefined {
  return SAME_FOR.exec(said.trim())?.[1]?.trim() || undefined;
}

/**
 * The call to repeat for `target`: the newest call that named a referent in its parameters, with that
 * referent replaced ("the same for https://..." replaces a URL, anything else a client, or a project
 * when the call named no client). Undefined when no remembered call fits.
 */
export function repeatFor(
  target: string,
  newestFirst: { call: RememberedCall; referents: Referents }[],
): RememberedCall | undefined {
  const kinds: ReferentKind[] = /^https?:\/\//i.test(target) ? ['url'] : ['client', 'project'];
  for (const { call, referents } of newestFirst) {
    for (const kind of kinds) {
      const old = referents[kind];
      if (!old) continue;
      const names = Object.entries(call.parameters).filter(
        ([, v]) => typeof v === 'string' && v.trim().toLowerCase() === old.toLowerCase(),
      );
      if (names.length === 0) continue;
      const parameters = { ...call.parameters };
      for (const [name] of names) parameters[name] = target;
      // An email address belongs to the one it was said for, not to the next.
      for (const [name, v] of Object.entries(parameters))
        if (typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim())) delete parameters[name];
      return { ...call, parameters };
    }
  }
  return undefined;
}

/**
 * Parameters the router filled with a pointing word (an LLM may hand back `client: "them"`): each
 * such value becomes what it points at.
 */
export function resolveSlots(
  parameters: Record<string, unknown>,
  referents: Referents,
): Resolution & {
  parameters: Record<string, unknown>;
} {
  const used = new Set<ReferentKind>();
  const out: Record<string, unknown> = { ...parameters };
  for (const [name, value] of Object.entries(parameters)) {
    if (typeof value !== 'string') continue;
    const whole = value.trim();
    // A bare "it" is the thing the conversation is about, whatever the verb was.
    const r = /^it$/i.test(whole) ? resolveReferences(`of ${whole}`, referents) : resolveReferences(whole, referents);
    if (/^it$/i.test(whole)) r.text = r.text.replace(/^of /, '');
    // Only a value that is nothing but the pointing word: "them", "that invoice", "it".
    const kind = r.used[0];
    if (r.used.length === 1 && kind && r.text === referents[kind]) {
      out[name] = r.text;
      used.add(kind);
    }
  }
  return { text: '', used: [...used], parameters: out };
}

/** Pronouns in lower case only ("It Works Ltd" is a client's name); the phrases in any case. */
const POINTING = [
  /^(them|him|her|it)\b(?!['’])/,
  /^((?:that|this) (?:client|customer|invoice|project|link|url|page|site|website))\b/i,
];
const REFERENT_SLOT = /client|customer|invoice|project|url|link|page/i;

/**
 * A slot the router filled with words that point at something this conversation does not know
 * (`client: "them for 5 hours at 100"` with no client talked about): its name and the pointing words.
 */
export function unresolvedSlot(parameters: Record<string, unknown>): { name: string; words: string } | undefined {
  for (const [name, value] of Object.entries(parameters)) {
    if (!REFERENT_SLOT.test(name) || typeof value !== 'string') continue;
    const words = POINTING.map((p) => p.exec(value.trim())?.[1]).find(Boolean);
    if (words) return { name, words };
  }
  return undefined;
}
