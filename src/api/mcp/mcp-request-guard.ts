import { isIP } from 'node:net';
import type { PaiosConfig } from '../../config/config.schema.js';

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);

/** `evil.example:3000` -> `evil.example`, `[::1]:3000` -> `[::1]`; undefined when it is no host. */
function hostnameOf(hostHeader: string): string | undefined {
  if (!/^[^\s/?#@\\]+$/.test(hostHeader)) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who may talk to /mcp. A DNS-rebinding attack gives a page of the attacker's site (evil.example,
 * re-pointed at 127.0.0.1) the browser's way into this server, with `Host: evil.example` and an
 * Origin of that same site: so the Host must be a name this server answers to (loopback names, an
 * IP address, the HOST it binds, PAIOS_PUBLIC_URL, the hosts of MCP_ALLOWED_ORIGINS), and a browser's
 * Origin must be one of those too, never merely equal to the Host the attacker chose.
 */
export class McpRequestGuard {
  private readonly names = new Set(LOOPBACK_NAMES);
  private readonly origins: Set<string>;

  constructor(private readonly config: PaiosConfig) {
    const bind = config.http.host.toLowerCase();
    if (!WILDCARD_BINDS.has(bind)) this.names.add(isIP(bind) === 6 ? `[${bind}]` : bind);
    this.origins = new Set(config.mcp.allowedOrigins);
    for (const url of [config.publicUrl, ...config.mcp.allowedOrigins]) {
      if (!url) continue;
      try {
        const parsed = new URL(url);
        this.names.add(parsed.hostname);
        this.origins.add(parsed.origin);
      } catch {
        // MCP_ALLOWED_ORIGINS entries are compared as given; a malformed one names no host.
      }
    }
  }

  /** Why this request is refused, or undefined when it may go on. */
  refusal(remoteAddress: string | undefined, host: string | undefined, origin: string | undefined): string | undefined {
    if (!this.config.mcp.allowRemote && !LOOPBACK_ADDRESSES.has(remoteAddress ?? ''))
      return 'MCP is served to this machine only (set MCP_ALLOW_REMOTE=true to change that)';
    const hostname = host ? hostnameOf(host) : undefined;
    if (!hostname) return 'a Host header naming this server is required';
    if (!this.knownHost(hostname))
      return `Host ${hostname} is not a name of this server (set PAIOS_PUBLIC_URL to the address clients use)`;
    if (origin !== undefined) {
      let parsed: URL;
      try {
        parsed = new URL(origin);
      } catch {
        return 'bad Origin header';
      }
      if (!this.origins.has(origin) && !LOOPBACK_NAMES.has(parsed.hostname))
        return `Origin ${origin} is not allowed (MCP_ALLOWED_ORIGINS)`;
    }
    return undefined;
  }

  private knownHost(hostname: string): boolean {
    if (this.names.has(hostname)) return true;
    // An address typed by hand is no DNS name an attacker can re-point.
    return isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
  }
}
