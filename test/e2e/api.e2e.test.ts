import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { io, type Socket } from 'socket.io-client';
import { createToken, startPaios, type PaiosProcess } from '../support/paios-process.js';
import { serverModeEnv, postgresAvailable, redisAvailable, embeddedDataDir } from '../support/services.js';

const SECRET = 'e2e-secret-0123456789-0123456789-0123456789';
const CANARY = 'canary-7f3a9c1e-do-not-log';
const MASTER = 'correct horse battery staple';
type Mode = 'embedded' | 'server';
const modes: Mode[] = [
  'embedded',
  ...((await postgresAvailable()) && (await redisAvailable()) ? (['server'] as const) : []),
];

interface Call {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

describe.each(modes)('paios API end to end (%s mode)', (mode) => {
  let paios: PaiosProcess;
  let env: Record<string, string>;
  let token: string;
  let otherToken: string;
  const cleanups: (() => Promise<void> | void)[] = [];

  const call = async (method: string, path: string, body?: unknown, auth: string | null = token): Promise<Call> => {
    const res = await fetch(`${paios.url}${path}`, {
      method,
      headers: {
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };

  beforeAll(async () => {
    const dir = embeddedDataDir('paios-e2e-');
    cleanups.push(() => dir.remove());
    env = { PAIOS_DATA_DIR: dir.path, ACCESS_TOKEN_SECRET: SECRET, LOG_LEVEL: 'info', PERFORMANCE_UPDATE_MS: '300' };
    if (mode === 'server') {
      const server = await serverModeEnv('e2e');
      cleanups.push(() => server.cleanup());
      env = { ...env, ...server.env };
    }
    paios = await startPaios(env);
    token = await createToken('owner@example.test', env);
    otherToken = await createToken('someone-else@example.test', env);
  });

  afterAll(async () => {
    const code = await paios?.stop('SIGTERM');
    expect(code).toBe(0);
    expect(paios.output()).toContain('stopped');
    for (const c of cleanups.reverse()) await c();
  });

  it('answers GET /api/system/health without a token, naming its dependencies', async () => {
    const res = await call('GET', '/api/system/health', undefined, null);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
    expect(res.body.info.app).toMatchObject({
      status: 'up',
      version: expect.any(String),
      mode,
      uptimeSeconds: expect.any(Number),
    });
    if (mode === 'server') expect(res.body.info.redis.status).toBe('up');
    else expect(res.body.info.redis).toBeUndefined();
  });

  it('lists the built-in agents serving you, each with your own config row, made on first use', async () => {
    const mine = await call('GET', '/api/agents');
    expect(mine.status).toBe(200);
    const rows = mine.body as { id: string; agentNumber: number }[];
    expect(rows.map((a) => a.agentNumber)).toEqual([1, 7, 8, 15, 18, 29, 31, 32]);
    expect(rows.find((a) => a.agentNumber === 15)).toMatchObject({
      name: 'invoicing',
      isActive: true,
      config: {},
    });
    // Listing again makes nothing new; another person has rows of their own.
    expect((await call('GET', '/api/agents')).body).toEqual(mine.body);
    const theirs = (await call('GET', '/api/agents', undefined, otherToken)).body as { id: string }[];
    expect(theirs).toHaveLength(rows.length);
    expect(theirs.some((t) => rows.some((m) => m.id === t.id))).toBe(false);
  });

  it('round-trips an agent through create, read, list, update and delete', async () => {
    const created = await call('POST', '/api/agents', {
      agentNumber: 70,
      name: 'scheduler',
      description: 'meetings and reminders',
      config: { timezone: 'Europe/Berlin' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      agentNumber: 70,
      name: 'scheduler',
      isActive: true,
      config: { timezone: 'Europe/Berlin' },
    });

    expect((await call('GET', `/api/agents/${id}`)).body).toEqual(created.body);
    expect((await call('GET', '/api/agents')).body).toContainEqual(created.body);
    expect((await call('GET', '/api/agents', undefined, otherToken)).body).not.toContainEqual(created.body);
    expect((await call('GET', `/api/agents/${id}`, undefined, otherToken)).status).toBe(404);

    const updated = await call('PUT', `/api/agents/${id}`, { isActive: false, config: { timezone: 'UTC' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ isActive: false, config: { timezone: 'UTC' }, name: 'scheduler' });

    expect((await call('DELETE', `/api/agents/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/agents/${id}`)).status).toBe(404);
    const left = (await call('GET', '/api/agents')).body as { id: string }[];
    expect(left.map((a) => a.id)).not.toContain(id);
  });

  it('keeps your voice settings: GET and POST /api/voice/settings, a clear 400 for bad values', async () => {
    expect((await call('GET', '/api/voice/settings')).body).toEqual({
      voice: null,
      speed: 1,
      spokenReplies: true,
      language: null,
    });
    const saved = await call('POST', '/api/voice/settings', { voice: 'nova', speed: 1.5, spokenReplies: false });
    expect(saved).toMatchObject({
      status: 200,
      body: { voice: 'nova', speed: 1.5, spokenReplies: false, language: null },
    });
    const bad = await call('POST', '/api/voice/settings', { speed: 3, language: 'klingon!' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('speed: expected a speed between 0.5 and 2');
    expect(bad.body.message).toContain('language: expected a language tag such as en or de-DE');
    expect((await call('GET', '/api/voice/settings')).body).toEqual(saved.body);
    expect((await call('GET', '/api/voice/settings', undefined, otherToken)).body.voice).toBeNull();
  });

  it("round-trips a workflow between two of the user's agents", async () => {
    const listed = (await call('GET', '/api/agents')).body as { id: string; agentNumber: number }[];
    const bi = listed.find((a) => a.agentNumber === 1)!;
    const inv = listed.find((a) => a.agentNumber === 15)!;
    const created = await call('POST', '/api/workflows', {
      sourceAgentId: bi.id,
      targetAgentId: inv.id,
      triggerConditions: { event: 'milestone.completed' },
      actions: { tool: 'create_invoice', parameters: { client: '{{payload.client}}', rate: '{{payload.amount}}' } },
    });
    expect(created.status).toBe(201);
    // What could never run is refused, naming the problem, and nothing is saved.
    const unknownTool = await call('POST', '/api/workflows', {
      sourceAgentId: bi.id,
      targetAgentId: inv.id,
      triggerConditions: { event: 'milestone.completed' },
      actions: { tool: 'create_invoices' },
    });
    expect(unknownTool.status).toBe(400);
    expect(unknownTool.body.message).toContain('actions.tool: agent #15 invoicing has no tool "create_invoices"');
    const noClient = await call('POST', '/api/workflows', {
      sourceAgentId: bi.id,
      targetAgentId: inv.id,
      triggerConditions: { event: 'milestone.completed' },
      actions: { tool: 'create_invoice', parameters: { rate: 'lots' } },
    });
    expect(noClient).toMatchObject({
      status: 400,
      body: { details: { 'actions.parameters.client': expect.any(String) } },
    });
    const wf = created.body;
    expect((await call('GET', `/api/workflows/${wf.id}`)).body).toEqual(wf);
    expect((await call('GET', '/api/workflows')).body).toEqual([wf]);

    const updated = await call('PUT', `/api/workflows/${wf.id}`, { isActive: false });
    expect(updated.body).toMatchObject({
      id: wf.id,
      isActive: false,
      triggerConditions: { event: 'milestone.completed' },
    });

    const blocked = await call('DELETE', `/api/agents/${inv.id}`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.details).toEqual({ workflowIds: [wf.id] });

    expect((await call('DELETE', `/api/workflows/${wf.id}`)).status).toBe(204);
    expect((await call('GET', '/api/workflows')).body).toEqual([]);
    for (const a of [bi, inv]) expect((await call('DELETE', `/api/agents/${a.id}`)).status).toBe(204);
  });

  it('answers bad input with a clear 4xx and changes nothing', async () => {
    const before = (await call('GET', '/api/agents')).body;

    const malformed = await call('POST', '/api/agents', '{"agentNumber": 15,');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/JSON/);

    const wrongTypes = await call('POST', '/api/agents', { agentNumber: 'fifteen', name: 42 });
    expect(wrongTypes.status).toBe(400);
    expect((wrongTypes.body.details as { path: string }[]).map((d) => d.path).sort()).toEqual(['agentNumber', 'name']);
    expect(wrongTypes.body.message).toContain('agentNumber: expected a whole number');

    const unknownField = await call('POST', '/api/agents', { agentNumber: 3, name: 'x', colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.message).toMatch(/colour/);

    const emptyUpdate = await call('PUT', '/api/agents/7d1c1f4e-8f5a-4c1e-9a55-0f5e3c2b1a00', {});
    expect(emptyUpdate.status).toBe(400);

    const notUuid = await call('GET', '/api/agents/15');
    expect(notUuid).toMatchObject({ status: 400, body: { message: 'id must be a UUID' } });

    const unknown = await call('PUT', '/api/agents/7d1c1f4e-8f5a-4c1e-9a55-0f5e3c2b1a00', { name: 'x' });
    expect(unknown).toMatchObject({
      status: 404,
      body: { message: 'agent 7d1c1f4e-8f5a-4c1e-9a55-0f5e3c2b1a00 not found' },
    });
    expect((await call('DELETE', '/api/workflows/7d1c1f4e-8f5a-4c1e-9a55-0f5e3c2b1a00')).status).toBe(404);

    const foreignAgents = await call('POST', '/api/workflows', {
      sourceAgentId: '7d1c1f4e-8f5a-4c1e-9a55-0f5e3c2b1a00',
      targetAgentId: '7d1c1f4e-8f5a-4c1e-9a55-0f5e3c2b1a01',
    });
    expect(foreignAgents.status).toBe(400);
    expect(Object.keys(foreignAgents.body.details).sort()).toEqual(['sourceAgentId', 'targetAgentId']);

    const missing = await call('GET', '/api/agents', undefined, null);
    expect(missing).toMatchObject({ status: 401, body: { message: 'missing bearer token' } });
    const garbage = await call('POST', '/api/agents', { agentNumber: 2, name: 'x' }, 'not.a.jwt');
    expect(garbage).toMatchObject({ status: 401, body: { message: 'token is invalid' } });
    const forged = await new JwtService({ secret: 'another-secret-another-secret-another-secret' }).signAsync(
      { sub: '7d1c1f4e-8f5a-4c1e-9a55-0f5e3c2b1a00', email: 'x@y.z' },
      { issuer: 'paios' },
    );
    expect((await call('GET', '/api/agents', undefined, forged)).status).toBe(401);
    const me = (await call('POST', '/api/agents', { agentNumber: 99, name: 'probe' })).body;
    await call('DELETE', `/api/agents/${me.id}`);
    const expired = await new JwtService({ secret: SECRET }).signAsync(
      { sub: me.id, email: 'owner@example.test' },
      { issuer: 'paios', expiresIn: -10 },
    );
    const expiredRes = await call('POST', '/api/agents', { agentNumber: 2, name: 'x' }, expired);
    expect(expiredRes).toMatchObject({ status: 401, body: { message: 'token has expired' } });

    const duplicate = (await call('POST', '/api/agents', { agentNumber: 5, name: 'first' })).body;
    const again = await call('POST', '/api/agents', { agentNumber: 5, name: 'second' });
    expect(again).toMatchObject({ status: 409, body: { message: 'you already have an agent #5' } });
    await call('DELETE', `/api/agents/${duplicate.id}`);

    expect((await call('GET', '/api/agents')).body).toEqual(before);
  });

  it("pushes system:agent_added and system:workflow_updated to the owner's sockets only, live metrics to all", async () => {
    const connect = (auth?: string) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = io(paios.url, {
          auth: auth ? { token: auth } : {},
          transports: ['websocket'],
          reconnection: false,
        });
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', (err) => {
          socket.close();
          reject(err);
        });
      });
    await expect(connect()).rejects.toThrow('missing bearer token');
    await expect(connect('nonsense')).rejects.toThrow('token is invalid');

    const mine = await connect(token);
    const theirs = await connect(otherToken);
    const received: [string, any][] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    const leaked: string[] = [];
    const metrics: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    // Live metrics go to every client; the user's own events only to that user.
    const PERF = 'system:performance_update';
    mine.onAny((event: string, payload) => (event === PERF ? metrics.push(payload) : received.push([event, payload])));
    theirs.onAny((event: string) => event !== PERF && leaked.push(event));
    try {
      const a = (await call('POST', '/api/agents', { agentNumber: 40, name: 'bookkeeping' })).body;
      const b = (await call('POST', '/api/agents', { agentNumber: 41, name: 'newsletter' })).body;
      const wf = (await call('POST', '/api/workflows', { sourceAgentId: b.id, targetAgentId: a.id })).body;
      const deadline = Date.now() + 30_000;
      while (received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(received.map(([e]) => e)).toEqual(['system:agent_added', 'system:agent_added', 'system:workflow_updated']);
      expect(received[0]?.[1]).toMatchObject({ id: a.id, agentNumber: 40 });
      expect(received[2]?.[1]).toMatchObject({ id: wf.id, sourceAgentId: b.id });
      expect(leaked).toEqual([]);
      while (metrics.length === 0 && Date.now() < deadline + 3000) await new Promise((r) => setTimeout(r, 50));
      expect(metrics[0]).toMatchObject({
        memory: { rssMiB: expect.any(Number) },
        eventLoop: { p99Ms: expect.any(Number) },
        sockets: 2,
      });
      expect((metrics[0].agents as { number: number; state: string }[]).find((x) => x.number === 15)).toMatchObject({
        state: 'active',
        inFlight: 0,
      });
      await call('DELETE', `/api/workflows/${wf.id}`);
      for (const x of [a, b]) await call('DELETE', `/api/agents/${x.id}`);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('publishes an OpenAPI document and Prometheus metrics', async () => {
    const doc = await call('GET', '/api/docs/json', undefined, null);
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/agents',
        '/api/agents/{id}',
        '/api/workflows',
        '/api/workflows/{id}',
        '/api/system/health',
      ]),
    );
    const metrics = await fetch(`${paios.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/paios_http_request_duration_seconds_count\{[^}]*route="\/api\/agents"/);
  });

  it('keeps credentials in the vault: locked until unlocked, names in lists, secrets only on reveal', async () => {
    const secret = { username: 'acme-billing', password: CANARY };
    expect(await call('GET', '/api/vault')).toMatchObject({ status: 200, body: { created: false, unlocked: false } });
    const whileLocked = await call('POST', '/api/credentials', { service_name: 'stripe', data: secret });
    expect(whileLocked.status).toBe(403);
    expect(whileLocked.body.message).toContain('vault is locked');
    expect((await call('POST', '/api/vault/unlock', { password: 'short' })).status).toBe(400);
    expect(await call('POST', '/api/vault/unlock', { password: MASTER })).toMatchObject({
      status: 200,
      body: { created: true, unlocked: true, autoLockSeconds: 900 },
    });

    const created = await call('POST', '/api/credentials', {
      service_name: 'stripe',
      data: secret,
      metadata: { env: 'live' },
    });
    expect(created).toMatchObject({ status: 201, body: { serviceName: 'stripe', metadata: { env: 'live' } } });
    expect(JSON.stringify(created.body)).not.toContain(CANARY);
    const id = created.body.id as string;
    expect((await call('POST', '/api/credentials', { service_name: 'stripe', data: secret })).status).toBe(409);
    expect((await call('POST', '/api/credentials', { service_name: 'x', data: {} })).status).toBe(400);

    const listed = await call('GET', '/api/credentials');
    expect(listed.body).toEqual([expect.objectContaining({ id, serviceName: 'stripe' })]);
    expect(JSON.stringify(listed.body)).not.toContain(CANARY);
    expect(await call('POST', `/api/credentials/${id}/reveal`)).toMatchObject({ status: 200, body: { data: secret } });
    // Someone else's token sees nothing and reveals nothing.
    expect((await call('GET', '/api/credentials', undefined, otherToken)).body).toEqual([]);
    expect((await call('POST', `/api/credentials/${id}/reveal`, undefined, otherToken)).status).toBe(404);

    expect(await call('PUT', `/api/credentials/${id}`, { data: { ...secret, password: `${CANARY}-2` } })).toMatchObject(
      {
        status: 200,
      },
    );
    expect((await call('POST', `/api/credentials/${id}/reveal`)).body.data.password).toBe(`${CANARY}-2`);

    // Locked again: names still listed, secrets refused; a wrong password opens nothing.
    expect((await call('POST', '/api/vault/lock')).status).toBe(204);
    expect((await call('POST', `/api/credentials/${id}/reveal`)).status).toBe(403);
    expect((await call('GET', '/api/credentials')).body).toHaveLength(1);
    const wrong = await call('POST', '/api/vault/unlock', { password: 'not the master password' });
    expect(wrong).toMatchObject({ status: 401, body: { message: 'wrong master password' } });
    expect((await call('POST', `/api/credentials/${id}/reveal`)).status).toBe(403);
    expect((await call('POST', '/api/vault/unlock', { password: MASTER })).body.unlocked).toBe(true);

    expect((await call('POST', '/api/vault/grants', { agent: 1, service_name: 'stripe' })).status).toBe(204);
    expect((await call('GET', '/api/vault/grants')).body).toEqual([
      expect.objectContaining({ agentNumber: 1, serviceName: 'stripe' }),
    ]);
    expect((await call('DELETE', '/api/vault/grants/1/stripe')).status).toBe(204);
    expect((await call('DELETE', '/api/vault/grants/1/stripe')).status).toBe(404);

    const audit = (await call('GET', '/api/vault/audit?limit=100')).body as { action: string; outcome: string }[];
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(
      expect.arrayContaining([
        'setup:ok',
        'store:ok',
        'reveal:ok',
        'update:ok',
        'unlock:failed',
        'unlock:ok',
        'grant:ok',
      ]),
    );
    expect((await call('DELETE', `/api/credentials/${id}`)).status).toBe(204);
    expect((await call('GET', '/api/credentials')).body).toEqual([]);
  });

  it('serves the live architecture as JSON, Mermaid, SVG and PNG', async () => {
    const model = await call('GET', '/api/system/architecture');
    expect(model.status).toBe(200);
    expect(model.body.infrastructure).toMatchObject(
      mode === 'server'
        ? { database: 'PostgreSQL', cache: 'Redis', jobs: 'BullMQ' }
        : { database: 'PGlite', cache: 'in-process', jobs: 'in-process' },
    );
    const numbers = (model.body.agents as { number: number }[]).map((a) => a.number);
    expect(numbers).toEqual(expect.arrayContaining([1, 15, 31, 32]));

    const text = await fetch(`${paios.url}/api/system/architecture?format=mermaid`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(text.headers.get('content-type')).toContain('text/vnd.mermaid');
    expect(await text.text()).toContain('#35;15 Invoicing');

    const png = await fetch(`${paios.url}/api/system/architecture?format=png&view=agent&agent=15`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');

    const svg = await fetch(`${paios.url}/api/system/architecture?format=svg`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const drawn = await svg.text();
    for (const name of ['#1 Business Intelligence', '#15 Invoicing', '#31 System Architecture', '#32 Password Vault'])
      expect(drawn).toContain(name);

    const bad = await call('GET', '/api/system/architecture?view=agent');
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringContaining('view=agent needs agent') } });
    expect((await call('GET', '/api/system/architecture', undefined, null)).status).toBe(401);
  });

  it('never writes a token into its logs', () => {
    expect(paios.output()).not.toContain(token);
    expect(paios.output()).not.toContain(SECRET);
    expect(paios.output()).not.toContain(CANARY);
    expect(paios.output()).not.toContain(MASTER);
    expect(paios.output()).toContain('"authorization":"[redacted]"');
  });
});
