import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Cloud instance-metadata endpoints (AWS, GCP, Azure, OpenStack; AWS's IPv6 one; Alibaba's). */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

const V4_REASONS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address (RFC 1918)',
  carrierGradeNat: 'a carrier-grade NAT address (RFC 6598)',
  linkLocal: 'a link-local address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
};

const V6_REASONS: Record<string, string> = {
  loopback: 'a loopback address',
  uniqueLocal: 'a private address (IPv6 unique local)',
  linkLocal: 'a link-local address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  teredo: 'a Teredo tunnel address',
};

/** IPv6 forms that carry an IPv4 address (mapped, NAT64, SIIT, 6to4): the IPv4 address inside. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = address.range();
  const bytes = address.toByteArray();
  if (range === 'ipv4Mapped' || range === 'rfc6052' || range === 'rfc6145') return new ipaddr.IPv4(bytes.slice(12, 16));
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/** An address in the form paios compares and connects to: IPv4 for IPv4-mapped IPv6. */
export function normalizeAddress(address: Address): Address {
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
    return (address as ipaddr.IPv6).toIPv4Address();
  return address;
}

/**
 * Why an outbound connection to this address is refused, or undefined for a public unicast address.
 * Only global unicast passes: loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified,
 * multicast, broadcast, documentation/benchmark/reserved ranges and cloud metadata endpoints do not,
 * in every spelling of them (IPv4 inside IPv6 included).
 */
export function refusedBecause(input: Address | string): string | undefined {
  const parsed = typeof input === 'string' ? ipaddr.parse(input) : input;
  const address = normalizeAddress(parsed);
  if (METADATA.has(address.toNormalizedString()) || METADATA.has(address.toString())) return 'a cloud metadata address';
  const range = address.range();
  if (range === 'unicast') return undefined;
  if (address.kind() === 'ipv4') return V4_REASONS[range] ?? 'a reserved address';
  const inner = embeddedIPv4(address as ipaddr.IPv6);
  if (inner) {
    const reason = refusedBecause(inner);
    return reason ? `${reason} (IPv4 ${inner.toString()} inside IPv6)` : undefined;
  }
  return V6_REASONS[range] ?? 'a reserved address';
}
