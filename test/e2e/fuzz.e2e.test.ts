import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { join } from 'node:path';
import pg from 'pg';
import { hostileRequests, type HostileRequest, type OpenApiDocument } from '../support/openapi-fuzz.js';
import { createToken, startPaios, type PaiosProcess } from '../support/paios-process.js';
import { serverModeEnv, postgresAvailable, redisAvailable, embeddedDataDir } from '../support/services.js';

/**
 * Every route and method of the served OpenAPI document gets hostile input, with the owner's token
 * and without a valid one; no answer may be a 5xx, and no row of the main tables may change.
 * FUZZ_SEED=<n> replays a run (the seed is printed with any failure).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const SECRET = 'fuzz-secret-0123456789-0123456789-0123456789';
const MASTER = 'correct horse battery staple';
/** Tables that hold what a user owns; logs (audit, interactions, jobs) may record refused attempts. */
const MAIN_TABLES = [
  'users',
  'agents',
  'agent_workflows',
  'workflow_runs',
  'agent_memory',
  'credentials',
  'vault_keys',
  'vault_grants',
  'clients',
  'invoices',
  'invoice_lines',
  'payments',
  'projects',
  'milestones',
  'digest_subscriptions',
  'user_identities',
  'pairing_codes',
  'system_modifications',
];
type Mode = 'embedded' | 'server';
const modes: Mode[] = [
  'embedded',
  ...((await postgresAvailable()) && (await redisAvailable()) ? (['server'] as const) : []),
];

describe.each(modes)('OpenAPI-driven fuzzing (%s mode)', (mode) => {
  let paios: PaiosProcess;
  let env: Record<string, string>;
  let token: string;
  let db: pg.Client;
  const cleanups: (() => Promise<void> | void)[] = [];

  const send = async (req: Pick<HostileRequest, 'method' | 'url' | 'body'>, auth: string | null = token) => {
    const res = await fetch(`${paios.url}${req.url}`, {
      method: req.method,
      headers: {
        ...(auth ? { authorization: auth } : {}),
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: req.body,
    });
    const text = await res.text();
    let message: string = text.slice(0, 200);
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, message };
  };
  const json = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${paios.url}${url}`, {
      method,
      headers: { authorization: token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${url} -> ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as Record<string, string>;
  };
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of MAIN_TABLES)
      out[t] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
    return out;
  };

  beforeAll(async () => {
    const dir = embeddedDataDir('paios-fuzz-');
    cleanups.push(() => dir.remove());
    env = { PAIOS_DATA_DIR: dir.path, ACCESS_TOKEN_SECRET: SECRET, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000000' };
    let connection: pg.ClientConfig = {
      host: join(dir.path, 'run'),
      port: 5432,
      user: 'postgres',
      database: 'postgres',
    };
    if (mode === 'server') {
      const server = await serverModeEnv('fuzz');
      cleanups.push(() => server.cleanup());
      env = { ...env, ...server.env };
      connection = { connectionString: server.env.DATABASE_URL };
    }
    paios = await startPaios(env, ['start'], 120_000);
    token = `Bearer ${await createToken('owner@example.test', env)}`;
    db = new pg.Client(connection);
    db.on('error', () => undefined); // the server going away at the end is expected
    await db.connect();
    cleanups.push(() => db.end());
  }, 180_000);

  afterAll(async () => {
    await paios?.stop('SIGTERM');
    for (const c of cleanups.reverse()) await c();
  });

  it('answers every hostile request to every documented route with a 4xx and changes nothing', async () => {
    const doc = (await (await fetch(`${paios.url}/api/docs/json`)).json()) as OpenApiDocument;
    expect(Object.keys(doc.paths).length).toBeGreaterThan(20);

    // Real resources behind the ids, so bodies reach validation rather than a 404.
    const bi = await json('POST', '/api/agents', { agentNumber: 1, name: 'business-intelligence' });
    const inv = await json('POST', '/api/agents', { agentNumber: 15, name: 'invoicing' });
    const wf = await json('POST', '/api/workflows', { sourceAgentId: bi.id, targetAgentId: inv.id });
    await json('POST', '/api/vault/unlock', { password: MASTER });
    const cred = await json('POST', '/api/credentials', { service_name: 'stripe', data: { key: 'sk_test_x' } });
    await json('POST', '/api/vault/grants', { agent: 15, service_name: 'stripe' });
    await json('POST', `/api/agents/${inv.id}/execute`, { action: 'add_client', parameters: { name: 'Acme' } });
    const idsFor = (route: string, param: string): string => {
      if (param === 'agent') return '15';
      if (param === 'service') return 'stripe';
      if (route.startsWith('/api/workflows')) return wf.id!;
      if (route.startsWith('/api/credentials')) return cred.id!;
      return bi.id!;
    };
    const requests = hostileRequests(doc, { seed: SEED, idsFor, bodyIds: [bi.id!, inv.id!] });

    const agentsBefore = (await json('GET', '/api/agents')) as unknown as unknown[];
    const sub = agentsBefore[0] as { id: string };
    const signed = new JwtService({ secret: SECRET });
    const badTokens = [
      null,
      'Bearer not.a.jwt',
      'Basic b3duZXI6cGFzcw==',
      `Bearer ${await signed.signAsync({ sub: 'not-a-uuid', email: 'x@y.z' }, { issuer: 'paios' })}`,
      `Bearer ${await signed.signAsync({ sub: '999999999999999999999', email: 'x@y.z' }, { issuer: 'paios' })}`,
      `Bearer ${await signed.signAsync({ sub: 'a\u0000b', email: 'x@y.z' }, { issuer: 'paios' })}`,
      `Bearer ${await signed.signAsync({ sub: sub.id, email: 'x@y.z' }, { issuer: 'paios', expiresIn: -10 })}`,
      `Bearer ${await new JwtService({ secret: 'another-secret-another-secret-another' }).signAsync({ sub: sub.id }, { issuer: 'paios' })}`,
    ];

    const before = await counts();
    const failures: string[] = [];
    let sent = 0;
    let serverErrors = 0;
    const started = Date.now();
    for (const req of requests) {
      if (req.probe) continue;
      const res = await send(req);
      sent++;
      if (res.status >= 500) serverErrors++;
      if (res.status >= 500 || res.status < 400)
        failures.push(`${res.status} ${req.method} ${req.route} [${req.what}]: ${res.message}`);
    }
    // Without a valid token: every operation, with each kind of bad token.
    for (const req of requests.filter((r) => r.probe)) {
      const isPublic = req.route === '/api/system/health';
      for (const bad of badTokens) {
        const res = await send(req, bad);
        sent++;
        if (res.status >= 500) serverErrors++;
        if (res.status >= 500 || (!isPublic && res.status !== 401))
          failures.push(
            `${res.status} ${req.method} ${req.route} [${req.what}; token ${String(bad).slice(0, 20)}]: ${res.message}`,
          );
      }
    }
    // Money no invoice can hold, through the tool and through chat: refused, never stored.
    const huge: { url: string; body: unknown }[] = [
      {
        url: `/api/agents/${inv.id}/execute`,
        body: { action: 'create_invoice', parameters: { client: 'Acme', quantity: 1, rate: 1e20 } },
      },
      {
        url: `/api/agents/${inv.id}/execute`,
        body: { action: 'create_invoice', parameters: { client: 'Acme', quantity: 1e20, rate: 150 } },
      },
      {
        url: `/api/agents/${inv.id}/execute`,
        body: { action: 'create_invoice', parameters: { client: 'Acme', rate: '99999999999999999999.99' } },
      },
      { url: '/api/chat', body: { text: 'invoice Acme for 10 hours at 1e20' } },
      { url: '/api/chat', body: { text: 'invoice Acme for 10 hours at 100000000000000000000' } },
    ];
    for (const h of huge) {
      const res = await send({ method: 'POST', url: h.url, body: JSON.stringify(h.body) });
      sent++;
      if (res.status >= 500) {
        serverErrors++;
        failures.push(`${res.status} POST ${h.url} [${JSON.stringify(h.body)}]: ${res.message}`);
      }
    }
    const refused = await json('POST', `/api/agents/${inv.id}/execute`, {
      action: 'create_invoice',
      parameters: { client: 'Acme', quantity: 1, rate: 1e20 },
    });
    expect(refused).toMatchObject({ success: false, error: expect.stringContaining('more than paios handles') });
    const after = await counts();

    console.log(
      `fuzz (${mode}, seed ${SEED}): ${sent} hostile requests, ${serverErrors} answered 5xx, ${failures.length} failures, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect({ seed: SEED, failures }).toEqual({ seed: SEED, failures: [] });
    expect(after).toEqual(before);
    // The server stayed up and the data is intact.
    expect((await send({ method: 'GET', url: '/api/system/health' }, null)).status).toBe(200);
    expect(((await json('GET', '/api/agents')) as unknown as unknown[]).length).toBe(agentsBefore.length);
  }, 300_000);
});
