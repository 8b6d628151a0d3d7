import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { OutboundClient, type Resolver } from './outbound.client.js';
import { OutboundRefusedError } from './outbound.errors.js';

/** A resolver from a table (names that exist nowhere else), counting its lookups. */
function tableResolver(table: Record<string, string[]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve: Resolver = async (host) => {
    calls.push(host);
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

const refusal = async (p: Promise<unknown>): Promise<OutboundRefusedError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundRefusedError);
  return err as OutboundRefusedError;
};

describe('OutboundClient', () => {
  let web: Server;
  let port: number;
  const seen: string[] = [];
  let tcp: TcpServer;
  let tcpPort: number;
  let tcpConnections = 0;
  const clients: OutboundClient[] = [];
  const client = (options: ConstructorParameters<typeof OutboundClient>[0]) => {
    const c = new OutboundClient(options);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    web = createServer((req, res) => {
      seen.push(`${req.headers.host} ${req.url}`);
      if (req.url === '/to-loopback') {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
      } else if (req.url === '/to-metadata') {
        res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      } else if (req.url === '/to-same') {
        res.writeHead(302, { location: '/ok' }).end();
      } else {
        res.end(`ok ${req.url}`);
      }
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    port = (web.address() as AddressInfo).port;
    tcp = createTcpServer((socket) => {
      tcpConnections++;
      socket.end();
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
    tcpPort = (tcp.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await new Promise((r) => web.close(r));
    await new Promise((r) => tcp.close(r));
  });

  it.each([
    ['127.0.0.1', '127.0.0.1 is a loopback address'],
    ['2130706433', '2130706433 (127.0.0.1) is a loopback address'],
    ['0x7f000001', '0x7f000001 (127.0.0.1) is a loopback address'],
    ['0177.0.0.1', '0177.0.0.1 (127.0.0.1) is a loopback address'],
    ['127.1', '127.1 (127.0.0.1) is a loopback address'],
    ['[::1]', '::1 is a loopback address'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1 (127.0.0.1) is a loopback address'],
    ['::ffff:7f00:1', '::ffff:7f00:1 (127.0.0.1) is a loopback address'],
    ['169.254.169.254', '169.254.169.254 is a cloud metadata address'],
    ['[fd00:ec2::254]', 'fd00:ec2::254 is a cloud metadata address'],
    ['[fd00:ec2:0:0:0:0:0:254]', 'fd00:ec2:0:0:0:0:0:254 (fd00:ec2::254) is a cloud metadata address'],
    ['0.0.0.0', '0.0.0.0 is an unspecified address'],
  ])('refuses the host %s before connecting: "%s; the owner can allow it..."', async (host, message) => {
    const err = await refusal(client({ resolver: tableResolver({}) }).resolve(host));
    expect(err.message).toBe(`${message}; the owner can allow it with PAIOS_ALLOW_HOSTS`);
  });

  it('refuses names that resolve to private addresses, even when only one of their addresses is', async () => {
    const resolver = tableResolver({
      'intranet.test': ['10.0.0.7'],
      'mixed.test': ['93.184.216.34', '::ffff:192.168.1.20'],
      'v6.test': ['fd00:ec2::254'],
      'public.test': ['93.184.216.34', '2606:4700:4700::1111'],
    });
    const c = client({ resolver });
    expect((await refusal(c.resolve('intranet.test'))).message).toBe(
      'intranet.test resolves to 10.0.0.7, a private address (RFC 1918); the owner can allow it with PAIOS_ALLOW_HOSTS',
    );
    expect((await refusal(c.resolve('mixed.test'))).message).toMatch(
      /^mixed\.test resolves to ::ffff:192\.168\.1\.20, a private/,
    );
    expect((await refusal(c.resolve('v6.test'))).message).toMatch(
      /^v6\.test resolves to fd00:ec2::254, a cloud metadata/,
    );
    expect(await c.resolve('public.test')).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
  });

  it('lets the owner allow names, *.domains and ranges (PAIOS_ALLOW_HOSTS)', async () => {
    const resolver = tableResolver({
      'mail.internal': ['10.0.0.25'],
      'wiki.corp.test': ['10.1.0.9'],
      'db.lan.test': ['192.168.7.7'],
      'other.lan.test': ['192.168.8.8'],
    });
    const c = client({ resolver, allowHosts: ['mail.internal', '*.corp.test', '192.168.7.0/24'] });
    await expect(c.resolve('mail.internal')).resolves.toEqual([{ address: '10.0.0.25', family: 4 }]);
    await expect(c.resolve('wiki.corp.test')).resolves.toHaveLength(1);
    await expect(c.resolve('db.lan.test')).resolves.toHaveLength(1);
    await expect(c.resolve('192.168.7.1')).resolves.toEqual([{ address: '192.168.7.1', family: 4 }]);
    await refusal(c.resolve('other.lan.test'));
    await refusal(c.resolve('127.0.0.1'));
  });

  it('fetches through the check, refusing http://2130706433/ and friends as the loopback they are', async () => {
    const c = client({ resolver: tableResolver({}) });
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
    ]) {
      expect((await refusal(c.fetch(url))).message).toMatch(
        /^(127\.0\.0\.1|::ffff:7f00:1 \(127\.0\.0\.1\)) is a loopback address/,
      );
    }
    expect(seen).toEqual([]);
  });

  it('connects to the address it checked (a second lookup cannot rebind it) and keeps the name in Host', async () => {
    const resolver = tableResolver({ 'pinned.test': ['127.0.0.1'] });
    const c = client({ resolver, allowHosts: ['127.0.0.1/32'] });
    const res = await c.fetch(`http://pinned.test:${port}/hello`);
    expect(await res.text()).toBe('ok /hello');
    // pinned.test exists only in this table: the socket went to the checked address, not to a new lookup.
    expect(resolver.calls).toEqual(['pinned.test']);
    expect(seen.at(-1)).toBe(`pinned.test:${port} /hello`);
  });

  it('checks every redirect: an allowed host that redirects to 127.0.0.1 or to the metadata service is refused', async () => {
    seen.length = 0;
    const c = client({ resolver: tableResolver({ 'allowed.test': ['127.0.0.1'] }), allowHosts: ['allowed.test'] });
    expect(await (await c.fetch(`http://allowed.test:${port}/to-same`)).text()).toBe('ok /ok');
    expect((await refusal(c.fetch(`http://allowed.test:${port}/to-loopback`))).message).toBe(
      '127.0.0.1 is a loopback address; the owner can allow it with PAIOS_ALLOW_HOSTS',
    );
    expect((await refusal(c.fetch(`http://allowed.test:${port}/to-metadata`))).message).toMatch(
      /^169\.254\.169\.254 is a cloud metadata address/,
    );
    // The redirect targets were never asked for.
    expect(seen).toEqual([
      `allowed.test:${port} /to-same`,
      `allowed.test:${port} /ok`,
      `allowed.test:${port} /to-loopback`,
      `allowed.test:${port} /to-metadata`,
    ]);
  });

  it('opens no TCP connection when it refuses one, whether the port is open or closed', async () => {
    const c = client({ resolver: tableResolver({}) });
    const open = await refusal(c.connectTcp('127.0.0.1', tcpPort));
    const closed = await refusal(c.connectTcp('127.0.0.1', 9));
    expect(open.message).toBe(closed.message);
    expect(tcpConnections).toBe(0);

    const allowed = client({ resolver: tableResolver({}), allowHosts: ['127.0.0.1'] });
    const socket = await allowed.connectTcp('127.0.0.1', tcpPort);
    socket.destroy();
    expect(tcpConnections).toBe(1);
  });
});
