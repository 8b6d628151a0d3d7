import type { ExternalTransport } from './agent-spec.js';
import type { AgentSlotState, ModificationView } from './modification.store.js';

/**
 * How the registry's state is shown outside the registry. The journal and the slots keep the real
 * values (a restart or a rollback needs them to start an outside MCP server); everything that shows
 * them (REST, #31's tools, MCP clients, events) goes through here first.
 *
 * - `owner`: keys stay, so the owner sees what is set; the values of environment variables and
 *   headers of outside servers, credentials and query values in their URL, values after secret-looking
 *   command-line flags and secret-looking configuration keys become "[redacted]".
 * - `other`: the same, and no configuration value or command-line argument at all.
 */
export const REDACTED = '[redacted]';

export type Audience = 'owner' | 'other';

/** Configuration keys and flags whose values are secrets (apiKey, client_secret, authToken, --token, ...). */
const SECRET_WORD =
  /(passw(or)?d|passphrase|^pass$|secret|token|credential|cookie|signature|api[-_]?key|access[-_]?key|private[-_]?key|^auth|auth(orization)?$|session[-_]?(id|key)?$|dsn$)/i;
const KEY_SUFFIX = /(^|[-_])key$/i;
const CAMEL_KEY = /[a-z0-9]Key$/;

export const isSecretName = (name: string): boolean => {
  const bare = name.replace(/^-+/, '');
  return SECRET_WORD.test(bare) || KEY_SUFFIX.test(bare) || CAMEL_KEY.test(bare);
};

/** Every leaf value replaced, keys (and the shape of nested objects and lists) kept. */
function blank(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(blank);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blank(v)]));
  return REDACTED;
}

/** The values of secret-looking keys replaced, at any depth; or every value for `other`. */
export function redactConfig(config: Record<string, unknown>, audience: Audience): Record<string, unknown> {
  if (audience === 'other') return blank(config) as Record<string, unknown>;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, isSecretName(k) && v !== null && v !== '' ? blank(v) : walk(v)]),
      );
    return value;
  };
  return walk(config) as Record<string, unknown>;
}

const valuesRedacted = (record: Record<string, string> | undefined) =>
  record && Object.fromEntries(Object.keys(record).map((k) => [k, REDACTED]));

/** `--token=abc` and `--token abc` lose their values; `other` sees no argument at all. */
function redactArgs(args: string[] | undefined, audience: Audience): string[] | undefined {
  if (!args || audience === 'other') return args?.map(() => REDACTED);
  return args.map((arg, i) => {
    const inline = /^(--?[A-Za-z][\w-]*)=(.*)$/.exec(arg);
    if (inline) return isSecretName(inline[1]!) ? `${inline[1]}=${REDACTED}` : arg;
    const previous = args[i - 1];
    if (previous && /^--?[A-Za-z][\w-]*$/.test(previous) && isSecretName(previous) && !arg.startsWith('-'))
      return REDACTED;
    return arg;
  });
}

/** User and password in the URL, and every query value, replaced; a URL that does not parse is hidden. */
function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return REDACTED;
  }
  if (url.username) url.username = REDACTED;
  if (url.password) url.password = REDACTED;
  for (const key of [...new Set(url.searchParams.keys())]) url.searchParams.set(key, REDACTED);
  if (url.hash) url.hash = REDACTED;
  return url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

export function redactTransport(transport: ExternalTransport, audience: Audience): ExternalTransport {
  if (transport.type === 'http') {
    return {
      type: 'http',
      url: redactUrl(transport.url),
      ...(transport.headers ? { headers: valuesRedacted(transport.headers) } : {}),
    };
  }
  return {
    type: 'stdio',
    command: transport.command,
    ...(transport.args ? { args: redactArgs(transport.args, audience) } : {}),
    ...(transport.env ? { env: valuesRedacted(transport.env) } : {}),
    ...(transport.cwd ? { cwd: transport.cwd } : {}),
  };
}

export function redactSlotState(state: AgentSlotState, audience: Audience): AgentSlotState {
  return {
    ...state,
    config: redactConfig(state.config, audience),
    source:
      state.source.kind === 'external'
        ? { ...state.source, transport: redactTransport(state.source.transport, audience) }
        : state.source,
  };
}

export function redactModification(mod: ModificationView, audience: Audience): ModificationView {
  return {
    ...mod,
    before: mod.before && redactSlotState(mod.before, audience),
    after: mod.after && redactSlotState(mod.after, audience),
  };
}
