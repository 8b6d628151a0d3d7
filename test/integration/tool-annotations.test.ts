import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { PasswordVaultModule } from '../../src/agents/password-vault/password-vault.module.js';
import { ExecutorService } from '../../src/orchestrator/executor/executor.service.js';
import { createPaiosMcpServer } from '../../src/orchestrator/mcp/paios-mcp.server.js';
import { AgentRegistry } from '../../src/orchestrator/registry/agent-registry.js';
import { VaultModule } from '../../src/vault/vault.module.js';
import { startOrchestrator, type OrchestratorApp } from '../support/orchestrator-app.js';

describe('MCP annotations in /mcp tools/list', () => {
  let o: OrchestratorApp;
  let client: Client;
  let dispose: () => void;

  beforeAll(async () => {
    o = await startOrchestrator('pglite', {}, [VaultModule, PasswordVaultModule]);
    const mcp = createPaiosMcpServer(o.app.get(AgentRegistry), o.app.get(ExecutorService), 'owner', '0.0.0-test');
    dispose = mcp.dispose;
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await mcp.server.connect(serverSide);
    client = new Client({ name: 'annotations-test', version: '1' });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client?.close();
    dispose?.();
    await o?.close();
  });

  it('tells an outside client, for every tool, whether it only reads, destroys, or may be repeated', async () => {
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(10);
    for (const t of tools) {
      expect({ tool: t.name, read: typeof t.annotations?.readOnlyHint }).toEqual({ tool: t.name, read: 'boolean' });
      expect(typeof t.annotations?.destructiveHint).toBe('boolean');
      expect(typeof t.annotations?.idempotentHint).toBe('boolean');
    }
    const byName = new Map(tools.map((t) => [t.name, t.annotations]));
    expect(byName.get('password-vault__list')).toMatchObject({ readOnlyHint: true });
    expect(byName.get('password-vault__delete')).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.get('calculator__add')).toMatchObject({ readOnlyHint: true });
    expect(byName.get('calculator__tally')).toMatchObject({ readOnlyHint: false, idempotentHint: true });
  });
});
