import ipaddr from 'ipaddr.js';
import { normalizeAddress } from './address-policy.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const HOST_NAME =
  /^(\*\.)?(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;

/** Why a PAIOS_ALLOW_HOSTS entry is not one (said without echoing it), or undefined when it is: a host name, `*.` + a domain, an IP or a CIDR. */
export function allowEntryProblem(entry: string): string | undefined {
  if (ipaddr.isValidCIDR(entry) || ipaddr.isValid(stripBrackets(entry))) return undefined;
  if (HOST_NAME.test(entry) && !/^[\d.]+$/.test(entry)) return undefined;
  return 'is neither a host name nor an IP address or CIDR range';
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The owner's exceptions to the outbound address policy (PAIOS_ALLOW_HOSTS): host names, which are
 * allowed whatever they resolve to, `*.domain` for every name under a domain, and IP addresses or
 * CIDR ranges, which allow the addresses inside them whatever name led there.
 */
export class AllowedHosts {
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly ranges: [Address, number][] = [];

  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      if (!entry) continue;
      if (ipaddr.isValidCIDR(entry)) {
        const [address, bits] = ipaddr.parseCIDR(entry);
        const normal = normalizeAddress(address);
        // ::ffff:10.0.0.0/104 is 10.0.0.0/8 once the address is written as IPv4.
        this.ranges.push([normal, normal === address ? bits : bits - 96]);
      } else if (ipaddr.isValid(stripBrackets(entry))) {
        const address = normalizeAddress(ipaddr.parse(stripBrackets(entry)));
        this.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else if (entry.startsWith('*.')) {
        this.suffixes.push(entry.slice(1).replace(/\.$/, ''));
      } else {
        this.names.add(entry.replace(/\.$/, ''));
      }
    }
  }

  /** The host name as written in the URL (IP literals are judged by allowsAddress). */
  allowsName(host: string): boolean {
    const name = host.toLowerCase().replace(/\.$/, '');
    return this.names.has(name) || this.suffixes.some((suffix) => name.endsWith(suffix));
  }

  allowsAddress(address: Address): boolean {
    const normal = normalizeAddress(address);
    return this.ranges.some(([range, bits]) => range.kind() === normal.kind() && normal.match(range, bits));
  }
}
