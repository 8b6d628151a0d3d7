import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { io } from 'socket.io-client';
import { createToken, PAIOS_BIN, runPaios, startPaios, type PaiosProcess } from '../support/paios-process.js';
import { embeddedDataDir } from '../support/services.js';
import { waitFor } from '../support/wait.js';

const PLUGIN = fileURLToPath(new URL('../fixtures/plugins/notes.plugin.mjs', import.meta.url));

describe('orchestrator end to end: plugin agent, voice, execute, hot reload, rollback (embedded)', () => {
  const dir = embeddedDataDir('paios-orch-e2e-');
  const plugins = join(dir.path, 'plugins');
  let paios: PaiosProcess;
  let token: string;
  let env: Record<string, string>;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${paios.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    mkdirSync(plugins, { recursive: true });
    copyFileSync(PLUGIN, join(plugins, 'notes.plugin.mjs'));
    env = { PAIOS_DATA_DIR: dir.path, ACCESS_TOKEN_SECRET: 'orch-e2e-secret-0123456789-0123456789' };
    paios = await startPaios(env);
    token = await createToken('orch@example.test', env);
  });
  afterAll(async () => {
    expect(await paios?.stop()).toBe(0);
    dir.remove();
  });

  const notesSlot = async () =>
    (
      (await call('GET', '/api/system/agents')).body as { agentNumber: number; version: string; enabled: boolean }[]
    ).find((s) => s.agentNumber === 90)!;

  it('serves the plugin agent beside the built-in ones', async () => {
    const { body } = await call('GET', '/api/system/agents');
    expect(body).toEqual([
      expect.objectContaining({ agentNumber: 1, name: 'business-intelligence', source: 'builtin', state: 'active' }),
      expect.objectContaining({ agentNumber: 7, name: 'web-scraping', source: 'builtin', state: 'active' }),
      expect.objectContaining({ agentNumber: 8, name: 'social-media', source: 'builtin', state: 'active' }),
      expect.objectContaining({ agentNumber: 15, name: 'invoicing', source: 'builtin', state: 'active' }),
      expect.objectContaining({ agentNumber: 18, name: 'research', source: 'builtin', state: 'active' }),
      expect.objectContaining({ agentNumber: 29, name: 'publishing', source: 'builtin', state: 'active' }),
      expect.objectContaining({ agentNumber: 31, name: 'system-architecture', source: 'builtin', state: 'active' }),
      expect.objectContaining({ agentNumber: 32, name: 'password-vault', source: 'builtin', state: 'active' }),
      expect.objectContaining({
        agentNumber: 90,
        name: 'notes',
        state: 'active',
        tools: ['remember', 'recall', 'whoami'],
      }),
    ]);
    expect((await notesSlot()).version).toMatch(/^1\.0\.0\+[0-9a-f]{8}$/);
  });

  it('routes without executing on a dry run, and executes otherwise', async () => {
    const dry = await call('POST', '/api/voice/process', { text: '@notes remember to call Alice', dryRun: true });
    expect(dry).toMatchObject({
      status: 200,
      body: { agentNumber: 90, tool: 'remember', parameters: { text: 'call Alice' }, via: 'address', dryRun: true },
    });
    expect((await call('GET', '/api/voice/commands')).body).toEqual([]);

    const socket = io(paios.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    const seen: string[] = [];
    socket.onAny((event: string) => seen.push(event));
    await new Promise<void>((r) => socket.once('connect', () => r()));
    try {
      const run = await call('POST', '/api/voice/process', { text: 'jot down renew the domain' });
      expect(run.body).toMatchObject({
        agentNumber: 90,
        tool: 'remember',
        via: 'nlu',
        executed: true,
        reply: 'noted: renew the domain',
      });
      expect(run.body.response).toMatchObject({ success: true, metadata: { executionTime: expect.any(Number) } });
      await waitFor(() => seen.includes('voice:response'));
      expect(seen).toEqual(
        expect.arrayContaining([
          'voice:command_received',
          'voice:processing',
          'agent:status',
          'agent:response',
          'voice:response',
        ]),
      );
    } finally {
      socket.close();
    }
    const history = (await call('GET', '/api/voice/commands')).body;
    expect(history[0]).toMatchObject({
      commandText: 'jot down renew the domain',
      responseText: 'noted: renew the domain',
      executionStatus: 'success',
    });
    expect(history[0].executionTimeMs).toEqual(expect.any(Number));
  });

  it('executes a tool of one of your agents, and reports its status', async () => {
    const agents = (await call('GET', '/api/agents')).body as { id: string; agentNumber: number }[];
    const notes = agents.find((a) => a.agentNumber === 90)!;
    const res = await call('POST', `/api/agents/${notes.id}/execute`, { action: 'recall', parameters: {} });
    expect(res.body).toMatchObject({ success: true, data: ['renew the domain'] });
    const bad = await call('POST', `/api/agents/${notes.id}/execute`, { action: 'remember', parameters: { text: '' } });
    expect(bad.body.success).toBe(false);
    const status = await call('GET', `/api/agents/${notes.id}/status`);
    expect(status.body).toMatchObject({
      agentNumber: 90,
      state: 'active',
      inFlight: 0,
      lastCommand: { executionStatus: 'error' },
    });
    const voice = await call('POST', `/api/agents/${notes.id}/voice`, { text: 'read back my notes' });
    expect(voice.body).toMatchObject({ agentNumber: 90, tool: 'recall', via: 'channel', reply: 'renew the domain' });
  });

  it('reconfigures at run time and rolls the change back', async () => {
    const changed = await call('POST', '/api/system/modify', {
      action: 'reconfigure',
      agentNumber: 90,
      config: { greeting: 'ahoy' },
    });
    expect(changed.body).toMatchObject({ config: { greeting: 'ahoy' }, state: 'active' });
    expect((await call('POST', '/api/voice/process', { text: '#90 say hello' })).body.reply).toBe(
      'ahoy from notes 1.0.0',
    );
    const [latest] = (await call('GET', '/api/system/modifications')).body;
    expect(latest).toMatchObject({
      type: 'agent.reconfigure',
      before: { config: {} },
      after: { config: { greeting: 'ahoy' } },
    });
    expect((await call('POST', '/api/system/rollback', { modificationId: latest.id })).status).toBe(200);
    expect((await call('POST', '/api/voice/process', { text: '#90 say hello' })).body.reply).toBe(
      'hello from notes 1.0.0',
    );
    const bad = await call('POST', '/api/system/modify', {
      action: 'reconfigure',
      agentNumber: 90,
      config: { greeting: 7 },
    });
    expect(bad.status).toBe(400);

    // Only the owner (the first user here) changes the running system.
    const guest = await createToken('guest@example.test', env);
    const refused = await fetch(`${paios.url}/api/system/modify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${guest}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'disable', agentNumber: 90 }),
    });
    expect(refused.status).toBe(403);
    expect((await notesSlot()).enabled).toBe(true);
  });

  it('hot-reloads a changed plugin file, and keeps serving when the new file is broken', async () => {
    const file = join(plugins, 'notes.plugin.mjs');
    writeFileSync(file, readFileSync(PLUGIN, 'utf8').replace("const VERSION = '1.0.0'", "const VERSION = '1.1.0'"));
    await waitFor(async () => /^1\.1\.0/.test((await notesSlot()).version), 30_000);
    expect((await call('POST', '/api/voice/process', { text: '#90 say hello' })).body.reply).toBe(
      'hello from notes 1.1.0',
    );

    writeFileSync(file, 'export default ({ z }) => { throw new Error("half-written plugin") };');
    await waitFor(() => paios.output().includes('half-written plugin'), 30_000);
    expect(await notesSlot()).toMatchObject({ state: 'active' });
    expect((await call('POST', '/api/voice/process', { text: '#90 say hello' })).body.reply).toBe(
      'hello from notes 1.1.0',
    );
    // Put the good file back for the command-line tests that follow.
    writeFileSync(file, readFileSync(PLUGIN, 'utf8').replace("const VERSION = '1.0.0'", "const VERSION = '1.1.0'"));
    await new Promise((r) => setTimeout(r, 500));
  });

  it('serves the agents to an MCP client over Streamable HTTP at /mcp, with a token', async () => {
    const client = new Client({ name: 'e2e-client', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${paios.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(
        expect.arrayContaining(['notes__remember', 'notes__recall', 'notes__whoami', 'invoicing__create_invoice']),
      );
      expect(tools.find((t) => t.name === 'notes__remember')?.inputSchema).toMatchObject({
        type: 'object',
        properties: { text: { type: 'string' } },
      });
      const result = await client.callTool({ name: 'notes__whoami', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: expect.stringMatching(/^hello from notes/) }]);
      const bad = await client.callTool({ name: 'notes__remember', arguments: { text: '' } });
      expect(bad.isError).toBe(true);
    } finally {
      await client.close();
    }

    const anonymous = await fetch(`${paios.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(anonymous.status).toBe(401);
    const foreign = await fetch(`${paios.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
  });

  it('refuses /mcp to a DNS-rebinding page (Host and Origin of another site), serves localhost names', async () => {
    // fetch() will not send a Host of our choosing; node:http does, as a rebound browser would.
    const post = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          `${paios.url}/mcp`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              ...headers,
            },
          },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
      });
    const port = new URL(paios.url).port;
    const rebound = await post({ host: `evil.example:${port}`, origin: `http://evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ message: expect.stringContaining('Host evil.example') });
    expect((await post({ host: `evil.example:${port}` })).status).toBe(403);
    expect((await post({ host: `localhost:${port}`, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
    expect((await post({ host: `127.0.0.1:${port}` })).status).toBe(200);
  });

  it('accepts logging/setLevel over /mcp and sends tool-call log messages at or above that level', async () => {
    const client = new Client({ name: 'e2e-log-client', version: '1.0.0' });
    const messages: { level: string; data: unknown }[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      messages.push({ level: n.params.level, data: n.params.data });
    });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${paios.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    try {
      expect(client.getServerCapabilities()?.logging).toEqual({});
      await expect(client.setLoggingLevel('error')).resolves.toEqual({});
      await client.callTool({ name: 'notes__whoami', arguments: {} });
      await client.callTool({ name: 'notes__remember', arguments: { text: '' } });
      expect(messages).toEqual([{ level: 'error', data: expect.stringMatching(/^#90 notes\.remember failed/) }]);

      messages.length = 0;
      await client.setLoggingLevel('debug');
      await client.callTool({ name: 'notes__whoami', arguments: {} });
      expect(messages).toEqual([
        { level: 'debug', data: 'calling #90 notes.whoami' },
        { level: 'info', data: expect.stringMatching(/^#90 notes\.whoami answered in \d+ ms$/) },
      ]);
    } finally {
      await client.setLoggingLevel('info').catch(() => undefined);
      await client.close();
    }
  });

  it('serves the agents over stdio with `paios mcp`, next to the running server', async () => {
    const client = new Client({ name: 'e2e-stdio-client', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [PAIOS_BIN, 'mcp'],
        env: { PATH: process.env.PATH ?? '', ...env, PAIOS_LOCAL_USER: 'orch@example.test' },
        stderr: 'pipe',
      }),
    );
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('notes__recall');
      const result = await client.callTool({ name: 'notes__recall', arguments: {} });
      expect(JSON.stringify(result.content)).toContain('renew the domain');
    } finally {
      await client.close();
    }
  });

  it('routes and chats from the command line while the server runs', async () => {
    const route = await runPaios(['route', '--json', 'jot down water the plants'], env);
    expect(route.code).toBe(0);
    expect(JSON.parse(route.stdout)).toMatchObject({
      agentNumber: 90,
      tool: 'remember',
      parameters: { text: 'water the plants' },
    });
    const said = await runPaios(['chat', '@notes', 'remember', 'water the plants'], {
      ...env,
      PAIOS_LOCAL_USER: 'orch@example.test',
    });
    expect(said).toMatchObject({ code: 0, stdout: 'noted: water the plants\n' });
    const notes = await call('POST', '/api/voice/process', { text: '@notes recall' });
    expect(notes.body.reply).toContain('water the plants');
  });
});
