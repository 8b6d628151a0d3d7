import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { createToken, startPaios, type PaiosProcess } from '../support/paios-process.js';
import { tempDir } from '../support/services.js';
import { waitFor } from '../support/wait.js';

const PLUGIN = fileURLToPath(new URL('../fixtures/plugins/notes.plugin.mjs', import.meta.url));

describe('orchestrator end to end: plugin agent, voice, execute, hot reload, rollback (embedded)', () => {
  const dir = tempDir('paios-orch-e2e-');
  const plugins = join(dir.path, 'plugins');
  let paios: PaiosProcess;
  let token: string;

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
    const env = { PAIOS_DATA_DIR: dir.path, ACCESS_TOKEN_SECRET: 'orch-e2e-secret-0123456789-0123456789' };
    paios = await startPaios(env);
    token = await createToken('orch@example.test', env);
  });
  afterAll(async () => {
    expect(await paios?.stop()).toBe(0);
    dir.remove();
  });

  it('serves the plugin agent', async () => {
    const { body } = await call('GET', '/api/system/agents');
    expect(body).toEqual([
      expect.objectContaining({
        agentNumber: 90,
        name: 'notes',
        state: 'active',
        tools: ['remember', 'recall', 'whoami'],
      }),
    ]);
    expect(body[0].version).toMatch(/^1\.0\.0\+[0-9a-f]{8}$/);
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
  });

  it('hot-reloads a changed plugin file, and keeps serving when the new file is broken', async () => {
    const file = join(plugins, 'notes.plugin.mjs');
    writeFileSync(file, readFileSync(PLUGIN, 'utf8').replace("const VERSION = '1.0.0'", "const VERSION = '1.1.0'"));
    await waitFor(
      async () => /^1\.1\.0/.test(String((await call('GET', '/api/system/agents')).body[0].version)),
      10_000,
    );
    expect((await call('POST', '/api/voice/process', { text: '#90 say hello' })).body.reply).toBe(
      'hello from notes 1.1.0',
    );

    writeFileSync(file, 'export default ({ z }) => { throw new Error("half-written plugin") };');
    await waitFor(() => paios.output().includes('half-written plugin'), 10_000);
    expect((await call('GET', '/api/system/agents')).body[0]).toMatchObject({ state: 'active' });
    expect((await call('POST', '/api/voice/process', { text: '#90 say hello' })).body.reply).toBe(
      'hello from notes 1.1.0',
    );
  });
});
