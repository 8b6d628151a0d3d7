import type { OnApplicationShutdown } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch, type Dispatcher } from 'undici';
import { normalizeAddress, refusedBecause } from '../../common/address-policy.js';
import { AllowedHosts } from '../../common/allowed-hosts.js';
import { OutboundRefusedError } from './outbound.errors.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Host name -> its addresses; the system resolver by default, a table in tests. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));

export interface OutboundClientOptions {
  /** PAIOS_ALLOW_HOSTS entries. */
  allowHosts?: readonly string[];
  resolver?: Resolver;
  /** Connecting (after the check) may take this long. */
  connectTimeoutMs?: number;
}

/** `[::1]` -> `::1`: URL host names keep IPv6 brackets, addresses do not. */
const bare = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

/**
 * The one way paios opens a connection that a user aimed: a mail server from someone's vault, an
 * outside MCP server, a page to scrape or research, a site to publish to. Each connection is checked
 * after DNS resolution and opened to the very address that was checked (so a DNS answer that changes
 * between check and connect, a rebinding, cannot slip in another one); HTTP redirects open new
 * connections and are checked the same way. Loopback, private, link-local, CGNAT, multicast,
 * reserved and cloud metadata addresses are refused before any packet is sent, unless the owner
 * allows the host (PAIOS_ALLOW_HOSTS). Endpoints from the owner's own configuration (env) do not
 * come through here.
 */
export class OutboundClient implements OnApplicationShutdown {
  private readonly allowed: AllowedHosts;
  private readonly resolver: Resolver;
  private readonly connectTimeoutMs: number;
  private agent?: Agent;

  constructor(options: OutboundClientOptions = {}) {
    this.allowed = new AllowedHosts(options.allowHosts ?? []);
    this.resolver = options.resolver ?? systemResolver;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  }

  /**
   * The addresses a connection to `host` may use, all of them checked; throws OutboundRefusedError
   * naming the host and the reason when any is refused. IP literals in any spelling Node or libc
   * would accept (2130706433, 0x7f.1, 0177.0.0.1, ::ffff:127.0.0.1) are judged as the address they are.
   */
  async resolve(host: string): Promise<ResolvedAddress[]> {
    const name = bare(host.trim()).toLowerCase();
    if (ipaddr.isValid(name)) {
      const address = ipaddr.parse(name);
      const text = address.toString();
      const family = address.kind() === 'ipv4' ? 4 : 6;
      if (!this.allowed.allowsName(name) && !this.allowed.allowsAddress(address)) {
        const reason = refusedBecause(address);
        if (reason) throw new OutboundRefusedError(bare(host), normalizeAddress(address).toString(), reason);
      }
      return [{ address: text, family }];
    }
    const addresses = await this.resolver(name);
    if (addresses.length === 0) throw new Error(`${host} has no address`);
    if (this.allowed.allowsName(name)) return addresses;
    for (const { address } of addresses) {
      const parsed = ipaddr.parse(address);
      if (this.allowed.allowsAddress(parsed)) continue;
      const reason = refusedBecause(parsed);
      if (reason) throw new OutboundRefusedError(host, address, reason, true);
    }
    return addresses;
  }

  /** A TCP connection to host:port through the check, connected to the checked address. */
  async connectTcp(host: string, port: number): Promise<Socket> {
    const [target] = await this.resolve(host);
    return new Promise<Socket>((resolve, reject) => {
      const socket = netConnect({ host: target!.address, port, timeout: this.connectTimeoutMs });
      const fail = (err: Error) => {
        socket.destroy();
        reject(err);
      };
      socket.once('error', fail);
      socket.once('timeout', () => fail(new Error(`connecting to ${host}:${port} timed out`)));
      socket.once('connect', () => {
        socket.off('error', fail);
        socket.setTimeout(0);
        resolve(socket);
      });
    });
  }

  /**
   * An undici dispatcher whose every new connection (first request, each redirect to another
   * origin) goes through the check and is pinned to the checked address; TLS still verifies the
   * certificate against the host name.
   */
  get dispatcher(): Dispatcher {
    if (!this.agent) {
      const base = buildConnector({ timeout: this.connectTimeoutMs });
      this.agent = new Agent({
        connect: (options, callback) => {
          this.resolve(options.hostname).then(
            ([target]) =>
              base(
                {
                  ...options,
                  hostname: target!.address,
                  // SNI and certificate checks keep the name the user gave (none for an IP literal).
                  servername: options.servername ?? (isIP(bare(options.hostname)) ? undefined : options.hostname),
                },
                callback,
              ),
            (err: Error) => callback(err, null),
          );
        },
      });
    }
    return this.agent;
  }

  /**
   * fetch() through the check. Redirects are followed (each hop checked); a refusal rejects with the
   * OutboundRefusedError itself rather than fetch's bare "fetch failed".
   */
  readonly fetch = async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    try {
      return await undiciFetch(input, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: this.dispatcher,
      });
    } catch (err) {
      let cause: unknown = err;
      while (cause instanceof Error) {
        if (cause instanceof OutboundRefusedError) throw cause;
        cause = cause.cause;
      }
      throw err;
    }
  };

  /** After the registry has stopped its agents: whatever is still open (a stream) is cut. */
  async onApplicationShutdown(): Promise<void> {
    await this.agent?.destroy();
    this.agent = undefined;
  }

  /** Lets requests in flight finish, then closes the connections. */
  async close(): Promise<void> {
    await this.agent?.close();
    this.agent = undefined;
  }
}
