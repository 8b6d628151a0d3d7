import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { AgentRegistry } from '../../src/orchestrator/registry/agent-registry.js';
import { RouterService } from '../../src/orchestrator/router/router.service.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';
import { redisAvailable, REDIS_TEST_URL } from '../support/services.js';

const SHOUT = fileURLToPath(new URL('../fixtures/mcp/shout-server.mjs', import.meta.url));

describe('external MCP servers as agents', () => {
  let o: OrchestratorApp;
  let userId: string;
  let http: ChildProcess;
  let httpUrl: string;

  beforeAll(async () => {
    // Outside MCP servers are a user's choice: the fake on this machine is allowed by the owner.
    o = await startOrchestrator('pglite', { PAIOS_ALLOW_HOSTS: '127.0.0.1' });
    userId = (await o.app.get(UserRepository).upsertByEmail('external@example.test')).id;
    http = spawn(process.execPath, [SHOUT, '--http', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    httpUrl = await new Promise<string>((resolve) =>
      http.stdout!.once('data', (d: Buffer) =>
        resolve(`http://127.0.0.1:${/listening on (\d+)/.exec(d.toString())![1]}/mcp`),
      ),
    );
  });
  afterAll(async () => {
    await o?.close();
    http?.kill();
  });

  it('registers a stdio MCP server at run time and calls its tool through the executor and the router', async () => {
    const registry = o.app.get(AgentRegistry);
    const view = await registry.register({
      kind: 'external',
      number: 70,
      name: 'shout',
      description: 'Shouts',
      version: '2.1.0',
      transport: { type: 'stdio', command: process.execPath, args: [SHOUT] },
    });
    expect(view).toMatchObject({ agentNumber: 70, source: 'external', state: 'active', tools: ['shout'] });
    const res = await o.app
      .get(ExecutorService)
      .execute({ userId, agentNumber: 70, tool: 'shout', parameters: { words: 'hello' } });
    expect(res).toMatchObject({ success: true, text: 'HELLO!' });
    await o.app.get(RouterService).retrain();
    expect(await o.app.get(RouterService).route('@shout shout hello')).toMatchObject({
      agentNumber: 70,
      tool: 'shout',
    });
    await registry.disable(70);
    expect(registry.get(70)?.state).toBe('disabled');
  });

  it('registers a Streamable HTTP MCP server, and refuses one that does not answer', async () => {
    const registry = o.app.get(AgentRegistry);
    await registry.register({
      kind: 'external',
      number: 71,
      name: 'shout-http',
      description: 'Shouts over HTTP',
      version: '2.1.0',
      transport: { type: 'http', url: httpUrl },
    });
    const res = await o.app
      .get(ExecutorService)
      .execute({ userId, agentNumber: 71, tool: 'shout', parameters: { words: 'far away' } });
    expect(res.text).toBe('FAR AWAY!');

    await expect(
      registry.register({
        kind: 'external',
        number: 72,
        name: 'nobody',
        description: '',
        version: '1.0.0',
        transport: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
      }),
    ).rejects.toThrow(/did not start/);
    expect(registry.get(72)).toBeUndefined();

    // A URL aimed at the cloud metadata service is refused before any connection, and says why.
    await expect(
      registry.register({
        kind: 'external',
        number: 73,
        name: 'metadata',
        description: '',
        version: '1.0.0',
        transport: { type: 'http', url: 'http://169.254.169.254/latest/mcp' },
      }),
    ).rejects.toThrow(
      /did not start: .*169\.254\.169\.254 is a cloud metadata address; the owner can allow it with PAIOS_ALLOW_HOSTS/,
    );
    expect(registry.get(73)).toBeUndefined();
  });

  it('times a slow tool out and says so', async () => {
    const res = await o.app
      .get(ExecutorService)
      .execute({ userId, agentNumber: 90, tool: 'whoami', parameters: { delayMs: 2000 }, timeoutMs: 300 });
    expect(res).toMatchObject({ success: false, error: 'agent #90 notes did not answer within 300 ms' });
  });
});

const describeIfRedis = (await redisAvailable()) ? describe : describe.skip;

describeIfRedis('result cache in Redis (server mode)', () => {
  let o: OrchestratorApp;
  const prefix = `paios-cache-${process.pid}`;
  beforeAll(async () => {
    o = await startOrchestrator('pglite', { REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: prefix });
  });
  afterAll(async () => o?.close());

  it('stores cacheable results under <REDIS_PREFIX>:agent:<agentId>:<hash> with a TTL', async () => {
    const userId = (await o.app.get(UserRepository).upsertByEmail('cache@example.test')).id;
    const executor = o.app.get(ExecutorService);
    const first = await executor.execute({ userId, agentNumber: 91, tool: 'add', parameters: { a: 1, b: 2 } });
    const again = await executor.execute({ userId, agentNumber: 91, tool: 'add', parameters: { a: 1, b: 2 } });
    expect(again.metadata?.cached).toBe(true);
    expect(again.data).toEqual(first.data);
    const redis = new Redis(REDIS_TEST_URL);
    const [row] = await o.db.dataSource.query<{ id: string }[]>(
      `SELECT id FROM agents WHERE user_id = $1 AND agent_number = 91`,
      [userId],
    );
    const keys = await redis.keys(`${prefix}:agent:${row!.id}:*`);
    expect(keys).toHaveLength(1);
    expect(await redis.ttl(keys[0]!)).toBeGreaterThan(50);
    await redis.del(...keys);
    redis.disconnect();
  });
});
