import { describe, expect, it } from '@jest/globals';
import { refusedBecause } from './address-policy.js';
import { allowEntryProblem, AllowedHosts } from './allowed-hosts.js';
import ipaddr from 'ipaddr.js';

describe('outbound address policy', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['10.0.0.1', 'a private address (RFC 1918)'],
    ['172.16.5.4', 'a private address (RFC 1918)'],
    ['172.31.255.255', 'a private address (RFC 1918)'],
    ['192.168.1.1', 'a private address (RFC 1918)'],
    ['100.64.0.1', 'a carrier-grade NAT address (RFC 6598)'],
    ['169.254.1.1', 'a link-local address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['100.100.100.200', 'a cloud metadata address'],
    ['0.0.0.0', 'an unspecified address'],
    ['224.0.0.251', 'a multicast address'],
    ['255.255.255.255', 'a broadcast address'],
    ['192.0.2.10', 'a reserved address'],
    ['198.18.0.1', 'a reserved address'],
    ['::1', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['fe80::1', 'a link-local address'],
    ['fc00::1', 'a private address (IPv6 unique local)'],
    ['fd12:3456::1', 'a private address (IPv6 unique local)'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['fd00:ec2:0:0:0:0:0:254', 'a cloud metadata address'],
    ['ff02::1', 'a multicast address'],
    ['2001:db8::1', 'a reserved address'],
    ['2001::1', 'a Teredo tunnel address'],
  ])('refuses %s as %s', (address, reason) => {
    expect(refusedBecause(address)).toBe(reason);
  });

  it.each([
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['0:0:0:0:0:ffff:7f00:0001', 'a loopback address'],
    ['::ffff:169.254.169.254', 'a cloud metadata address'],
    ['::ffff:10.1.2.3', 'a private address (RFC 1918)'],
  ])('judges the IPv4-mapped %s as the IPv4 address it carries (%s)', (address, reason) => {
    expect(refusedBecause(address)).toBe(reason);
  });

  it.each([
    ['64:ff9b::7f00:1', 'a loopback address (IPv4 127.0.0.1 inside IPv6)'],
    ['64:ff9b::a9fe:a9fe', 'a cloud metadata address (IPv4 169.254.169.254 inside IPv6)'],
    ['2002:c0a8:0101::1', 'a private address (RFC 1918) (IPv4 192.168.1.1 inside IPv6)'],
  ])('judges %s (NAT64 / 6to4) by the IPv4 address inside', (address, reason) => {
    expect(refusedBecause(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'lets the public address %s through',
    (address) => {
      expect(refusedBecause(address)).toBeUndefined();
    },
  );
});

describe('PAIOS_ALLOW_HOSTS entries', () => {
  it('accepts host names, *.domains, addresses and CIDR ranges, and refuses anything else', () => {
    for (const ok of [
      'mail.internal',
      'localhost',
      '*.corp.example',
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      '[::1]',
      'fd00::/8',
    ])
      expect(allowEntryProblem(ok)).toBeUndefined();
    for (const bad of ['http://x', 'a b', '10.0.0.0/33', '1.2.3.4.5', 'host:25', '*'])
      expect(allowEntryProblem(bad)).toMatch(/neither a host name nor an IP address or CIDR/);
  });

  it('allows names exactly or under a *.domain, and addresses inside a range in any IPv6 spelling', () => {
    const allowed = new AllowedHosts([
      'Mail.Internal',
      '*.corp.example',
      '10.0.0.0/8',
      '::ffff:192.168.0.0/112',
      '::1',
    ]);
    expect(allowed.allowsName('mail.internal')).toBe(true);
    expect(allowed.allowsName('mail.internal.')).toBe(true);
    expect(allowed.allowsName('other.internal')).toBe(false);
    expect(allowed.allowsName('wiki.corp.example')).toBe(true);
    expect(allowed.allowsName('corpxcorp.example')).toBe(false);
    expect(allowed.allowsAddress(ipaddr.parse('10.9.8.7'))).toBe(true);
    expect(allowed.allowsAddress(ipaddr.parse('::ffff:10.9.8.7'))).toBe(true);
    expect(allowed.allowsAddress(ipaddr.parse('192.168.4.4'))).toBe(true);
    expect(allowed.allowsAddress(ipaddr.parse('192.169.0.1'))).toBe(false);
    expect(allowed.allowsAddress(ipaddr.parse('::1'))).toBe(true);
    expect(allowed.allowsAddress(ipaddr.parse('127.0.0.1'))).toBe(false);
  });
});
