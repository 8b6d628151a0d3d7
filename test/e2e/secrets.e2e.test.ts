import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { createToken, startPaios, type PaiosProcess } from '../support/paios-process.js';
import {
  serverModeEnv,
  postgresAvailable,
  redisAvailable,
  REDIS_TEST_URL,
  embeddedDataDir,
} from '../support/services.js';
import { waitFor } from '../support/wait.js';

/** Secrets of outside MCP servers (issue: hardening, defect 3). */
const MCP_CANARY = 'mcp-canary-4b7d1e90-never-shown';
/** A password stored in and revealed from the vault (defect 4). */
const VAULT_CANARY = 'vault-canary-9c2e5a17-never-broadcast';
const MASTER = 'a long e2e master password for the vault';
const SHOUT = fileURLToPath(new URL('../fixtures/mcp/shout-server.mjs', import.meta.url));

type Mode = 'embedded' | 'server';
const modes: Mode[] = [
  'embedded',
  ...((await postgresAvailable()) && (await redisAvailable()) ? (['server'] as const) : []),
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Call {
  status: number;
  body: Json;
  raw: string;
}

describe.each(modes)('secrets stay with their owner (%s mode)', (mode) => {
  let paios: PaiosProcess;
  let env: Record<string, string>;
  let owner: string;
  let other: string;
  let databaseUrl: string | undefined;
  let httpServer: ChildProcess | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];

  const call = async (method: string, path: string, body: unknown, token: string): Promise<Call> => {
    const res = await fetch(`${paios.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const raw = await res.text();
    return { status: res.status, body: raw ? JSON.parse(raw) : undefined, raw };
  };

  /** Every event the user's Socket.io client receives, as JSON text. */
  const listen = async (token: string): Promise<{ socket: Socket; seen: string[] }> => {
    const socket = io(paios.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    const seen: string[] = [];
    socket.onAny((event: string, payload: unknown) => {
      if (event !== 'system:performance_update') seen.push(JSON.stringify([event, payload]));
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return { socket, seen };
  };

  const mcpClient = async (token: string): Promise<Client> => {
    const client = new Client({ name: 'secrets-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${paios.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    return client;
  };

  beforeAll(async () => {
    const dir = embeddedDataDir('paios-secrets-e2e-');
    cleanups.push(() => dir.remove());
    env = {
      PAIOS_DATA_DIR: dir.path,
      ACCESS_TOKEN_SECRET: 'secrets-e2e-0123456789-0123456789-0123456789',
      LOG_LEVEL: 'debug',
      VAULT_ARGON2_MEMORY_KIB: '19456',
      VAULT_ARGON2_ITERATIONS: '2',
      VAULT_ARGON2_PARALLELISM: '1',
      PERFORMANCE_UPDATE_MS: '60000',
      // The outside MCP server of this test listens on loopback, which the outbound guard refuses.
      PAIOS_ALLOW_HOSTS: '127.0.0.1',
    };
    if (mode === 'server') {
      const server = await serverModeEnv('secrets');
      cleanups.push(() => server.cleanup());
      databaseUrl = server.env.DATABASE_URL;
      env = { ...env, ...server.env };
    }
    paios = await startPaios(env);
    owner = await createToken('owner@example.test', env);
    other = await createToken('second-user@example.test', env);

    // An outside MCP server over Streamable HTTP, for the http transport.
    httpServer = spawn(process.execPath, [SHOUT, '--http', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => void httpServer?.kill());
  }, 300_000);

  afterAll(async () => {
    const code = await paios?.stop('SIGTERM');
    expect(code).toBe(0);
    for (const c of cleanups.reverse()) await c();
  });

  it('shows outside MCP servers to the owner with their secrets redacted, and to others without any configuration value', async () => {
    const port = await new Promise<number>((resolve) => {
      let out = '';
      httpServer!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
    });
    const stdio = await call(
      'POST',
      '/api/system/modify',
      {
        action: 'register',
        agentNumber: 71,
        name: 'shout-stdio',
        version: '2.1.0',
        transport: {
          type: 'stdio',
          command: process.execPath,
          args: [SHOUT, `--api-token=${MCP_CANARY}`, '--client-secret', MCP_CANARY, '--verbose'],
          env: { SHOUT_API_TOKEN: MCP_CANARY },
        },
        config: { apiKey: MCP_CANARY, region: 'eu-west' },
      },
      owner,
    );
    expect(stdio).toMatchObject({ status: 200, body: { agentNumber: 71, state: 'active', tools: ['shout'] } });
    const http = await call(
      'POST',
      '/api/system/modify',
      {
        action: 'register',
        agentNumber: 72,
        name: 'shout-http',
        transport: {
          type: 'http',
          url: `http://127.0.0.1:${port}/mcp?api_key=${MCP_CANARY}`,
          headers: { authorization: `Bearer ${MCP_CANARY}`, 'x-team': 'blue' },
        },
      },
      owner,
    );
    expect(http).toMatchObject({ status: 200, body: { agentNumber: 72, state: 'active' } });
    const reconfigured = await call(
      'POST',
      '/api/system/modify',
      { action: 'reconfigure', agentNumber: 71, config: { clientSecret: MCP_CANARY, retries: 3 } },
      owner,
    );
    expect(reconfigured.status).toBe(200);
    for (const r of [stdio, http, reconfigured]) expect(r.raw).not.toContain(MCP_CANARY);
    // The real values still reach the servers: both answer.
    const shouter = await mcpClient(owner);
    try {
      for (const name of ['shout-stdio__shout', 'shout-http__shout'])
        expect(await shouter.callTool({ name, arguments: { words: 'hello' } })).toMatchObject({
          content: [{ type: 'text', text: 'HELLO!' }],
        });
    } finally {
      await shouter.close();
    }

    // The owner sees what is set (keys, harmless values), never a secret value.
    const mine = await call('GET', '/api/system/modifications', undefined, owner);
    expect(mine.status).toBe(200);
    expect(mine.raw).not.toContain(MCP_CANARY);
    const registered = (mine.body as Json[]).find((m) => m.type === 'agent.register' && m.after.agentNumber === 71);
    expect(registered.after).toMatchObject({
      config: { apiKey: '[redacted]', region: 'eu-west' },
      source: {
        kind: 'external',
        transport: {
          type: 'stdio',
          env: { SHOUT_API_TOKEN: '[redacted]' },
          args: [SHOUT, '--api-token=[redacted]', '--client-secret', '[redacted]', '--verbose'],
        },
      },
    });
    const viaHttp = (mine.body as Json[]).find((m) => m.after?.agentNumber === 72);
    expect(viaHttp.after.source.transport).toEqual({
      type: 'http',
      url: `http://127.0.0.1:${port}/mcp?api_key=[redacted]`,
      headers: { authorization: '[redacted]', 'x-team': '[redacted]' },
    });
    expect((mine.body as Json[])[0].after.config).toEqual({
      apiKey: '[redacted]',
      region: 'eu-west',
      clientSecret: '[redacted]',
      retries: 3,
    });

    // Another signed-in user sees what changed and when, and no configuration value at all.
    const theirs = await call('GET', '/api/system/modifications', undefined, other);
    expect(theirs.status).toBe(200);
    expect(theirs.raw).not.toContain(MCP_CANARY);
    expect(theirs.body).toHaveLength((mine.body as unknown[]).length);
    expect((theirs.body as Json[])[0].after.config).toEqual({
      apiKey: '[redacted]',
      region: '[redacted]',
      clientSecret: '[redacted]',
      retries: '[redacted]',
    });

    for (const token of [owner, other]) {
      const slots = await call('GET', '/api/system/agents', undefined, token);
      expect(slots.status).toBe(200);
      expect(slots.raw).not.toContain(MCP_CANARY);
      expect((slots.body as { agentNumber: number }[]).map((s) => s.agentNumber)).toEqual(
        expect.arrayContaining([71, 72]),
      );
    }
    expect(
      ((await call('GET', '/api/system/agents', undefined, other)).body as Json[]).find((s) => s.agentNumber === 71)
        .config.region,
    ).toBe('[redacted]');

    // #31's "what changed": over the REST turn, in chat (and its Socket.io events), and over /mcp.
    for (const token of [owner, other]) {
      const { socket, seen } = await listen(token);
      try {
        const turn = await call('POST', '/api/voice/process', { text: '#31 what_changed' }, token);
        expect(turn.body).toMatchObject({ tool: 'what_changed', executed: true });
        expect(turn.body.response.data.length).toBeGreaterThan(0);
        expect(turn.raw).not.toContain(MCP_CANARY);
        const chat = await call('POST', '/api/chat', { text: 'what changed' }, token);
        expect(chat.body.replies[0].text).toContain('Latest changes');
        expect(chat.raw).not.toContain(MCP_CANARY);
        await waitFor(() => seen.filter((e) => e.startsWith('["agent:response"')).length >= 2);
        expect(seen.join('\n')).not.toContain(MCP_CANARY);
      } finally {
        socket.close();
      }
      const client = await mcpClient(token);
      try {
        const result = await client.callTool({ name: 'system-architecture__what_changed', arguments: { limit: 20 } });
        expect(result.isError).toBeFalsy();
        expect(JSON.stringify(result.structuredContent)).toContain('agent.reconfigure');
        expect(JSON.stringify(result)).not.toContain(MCP_CANARY);
      } finally {
        await client.close();
      }
    }

    // Rolling back restores the real values: the server starts again with them.
    const rolled = await call('POST', '/api/system/rollback', { modificationId: mine.body[0].id }, owner);
    expect(rolled).toMatchObject({ status: 200, body: { agentNumber: 71, state: 'active' } });
    expect(rolled.raw).not.toContain(MCP_CANARY);
    expect(paios.output()).not.toContain(MCP_CANARY);
  }, 60_000);

  it('reveals a vault secret only in the reply to the person who asked: never on Socket.io, Redis, history, memory or logs', async () => {
    const { socket, seen } = await listen(owner);
    const watcher = await listen(other);
    const monitored: string[] = [];
    let monitor: Awaited<ReturnType<Redis['monitor']>> | undefined;
    let redis: Redis | undefined;
    if (mode === 'server') {
      redis = new Redis(REDIS_TEST_URL);
      monitor = await redis.monitor();
      monitor.on('monitor', (_time: string, args: string[]) => monitored.push(args.join(' ')));
    }
    try {
      const say = async (text: string) => {
        const res = await call('POST', '/api/chat', { text }, owner);
        expect(res).toMatchObject({ status: 200, body: { outcome: 'answered' } });
        return res;
      };
      expect((await say('unlock my vault')).body.replies[0].text).toContain('no vault yet');
      expect((await say(MASTER)).body.replies[0].text).toContain('unlocked');
      expect((await say(`store github user alice password ${VAULT_CANARY}`)).body.replies[0].text).toContain(
        'Stored github',
      );
      const revealed = await say("what's my github password");
      // The designed path: the reply to the asker's own request, private.
      expect(revealed.body.replies).toEqual([
        expect.objectContaining({ ephemeral: true, text: expect.stringContaining(VAULT_CANARY) }),
      ]);
      const spoken = await call('POST', '/api/voice/process', { text: "what's my github password" }, owner);
      expect(spoken.body).toMatchObject({ tool: 'get', reply: expect.stringContaining(VAULT_CANARY) });

      await waitFor(() => seen.filter((e) => e.startsWith('["voice:response"')).length >= 4);
      if (mode === 'server') {
        expect(monitored.some((line) => line.includes('socket.io'))).toBe(true);
        const leaked = monitored.filter((line) => line.includes(VAULT_CANARY) || line.includes(MASTER));
        expect(leaked).toEqual([]);
      }
      expect(seen.join('\n')).not.toContain(VAULT_CANARY);
      expect(seen.join('\n')).not.toContain(MASTER);
      expect(watcher.seen).toEqual([]);
      // The clients learn that it happened, not what it said.
      expect(seen).toEqual(
        expect.arrayContaining([
          JSON.stringify(['voice:response', '(withheld: answered privately)']),
          JSON.stringify(['voice:command_received', '(withheld)']),
        ]),
      );
      // Clients of the REST turn are told the answer is private.
      expect(spoken.body.sensitive).toBe(true);
      if (mode === 'server') {
        const db = new pg.Client({ connectionString: databaseUrl });
        await db.connect();
        try {
          for (const table of [
            'voice_interactions',
            'agent_memory',
            'conversation_turns',
            'jobs',
            'workflow_runs',
            'vault_audit',
          ]) {
            const rows = await db.query(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
            const text = rows.rows.map((r: { row: string }) => r.row).join('\n');
            expect({ table, leaked: text.includes(VAULT_CANARY) || text.includes(MASTER) }).toEqual({
              table,
              leaked: false,
            });
          }
          const history = await db.query(`SELECT command_text FROM voice_interactions ORDER BY created_at`);
          expect(history.rows.map((r: { command_text: string }) => r.command_text)).toEqual(
            expect.arrayContaining(['#32 get (withheld)', '#32 store (withheld)']),
          );
        } finally {
          await db.end();
        }
      }
      const history = await call('GET', '/api/voice/commands?limit=50', undefined, owner);
      expect(history.raw).not.toContain(VAULT_CANARY);
      expect(paios.output()).not.toContain(VAULT_CANARY);
      expect(paios.output()).not.toContain(MASTER);
    } finally {
      socket.close();
      watcher.socket.close();
      monitor?.disconnect();
      redis?.disconnect();
    }
  }, 60_000);
});
