import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AgentsService } from '../../src/orchestrator/registry/agents.service.js';
import { AgentRepository } from '../../src/orchestrator/registry/agent.repository.js';
import { SystemEvents } from '../../src/orchestrator/events/system-events.js';
import { UserRepository } from '../../src/orchestrator/identity/user.repository.js';
import { WorkflowRepository } from '../../src/orchestrator/workflows/workflow.repository.js';
import { WorkflowsService } from '../../src/orchestrator/workflows/workflows.service.js';
import { WorkflowValidator } from '../../src/orchestrator/workflows/workflow-validator.js';
import { AgentRegistry } from '../../src/orchestrator/registry/agent-registry.js';
import { ModificationStore } from '../../src/orchestrator/registry/modification.store.js';
import { DomainError, ErrorCode } from '../../src/common/errors.js';
import { openTestDatabase, postgresAvailable, type TestDatabase } from '../support/services.js';

const kinds: TestDatabase['kind'][] = ['pglite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])];

const uniqueEmail = () => `u${Math.random().toString(36).slice(2)}@example.test`;

describe.each(kinds)('repositories on %s', (kind) => {
  let db: TestDatabase;
  let users: UserRepository;
  let agents: AgentsService;
  let workflows: WorkflowsService;
  const events = new SystemEvents();

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    users = new UserRepository(db.dataSource);
    const agentRepo = new AgentRepository(db.dataSource);
    // A registry running no agent: these tests are about rows; what runs is test/e2e's business.
    const registry = new AgentRegistry(new ModificationStore(db.dataSource), undefined as never, {
      startTimeoutMs: 1000,
      drainTimeoutMs: 1000,
    });
    agents = new AgentsService(agentRepo, events, registry);
    workflows = new WorkflowsService(
      new WorkflowRepository(db.dataSource),
      new WorkflowValidator(agentRepo, registry),
      events,
    );
  });
  afterAll(async () => db?.close());

  it('creates the seed schema: seven tables, four indexes, plus user_identities', async () => {
    const tables = await db.dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'users',
        'agents',
        'agent_workflows',
        'voice_interactions',
        'credentials',
        'system_modifications',
        'agent_memory',
        'user_identities',
      ]),
    );
    const indexes = await db.dataSource.query<
      {
        indexname: string;
      }[]
    >(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`);
    expect(indexes.map((i) => i.indexname)).toEqual(
      expect.arrayContaining([
        'idx_agents_user_id',
        'idx_voice_interactions_user_agent',
        'idx_agent_memory_type',
        'idx_workflows_user_id',
      ]),
    );
    const cols = await db.dataSource.query<
      { column_name: string; data_type: string; column_default: string | null; is_nullable: string }[]
    >(
      `SELECT column_name, data_type, column_default, is_nullable FROM information_schema.columns
        WHERE table_name = 'agents' ORDER BY ordinal_position`,
    );
    expect(cols.map((c) => [c.column_name, c.data_type])).toEqual([
      ['id', 'uuid'],
      ['user_id', 'uuid'],
      ['agent_number', 'integer'],
      ['name', 'character varying'],
      ['description', 'text'],
      ['config', 'jsonb'],
      ['is_active', 'boolean'],
      ['created_at', 'timestamp without time zone'],
      ['updated_at', 'timestamp without time zone'],
    ]);
  });

  it('upserts users by email, case-insensitively, and pairs one platform account with one user', async () => {
    const email = uniqueEmail();
    const a = await users.upsertByEmail(email.toUpperCase());
    const b = await users.upsertByEmail(email);
    expect(b.id).toBe(a.id);
    expect(a.email).toBe(email);

    const other = await users.upsertByEmail(uniqueEmail());
    const account = { platform: 'telegram', platformUserId: `${Date.now()}` };
    await users.linkIdentity(a.id, account);
    const again = await users.linkIdentity(other.id, account);
    expect(again.userId).toBe(a.id);
    expect((await users.findByIdentity(account))?.id).toBe(a.id);
    expect(await users.findByIdentity({ platform: 'slack', platformUserId: account.platformUserId })).toBeNull();
  });

  it('round-trips agents: create, read, list, update, delete, scoped to the owner', async () => {
    const owner = await users.upsertByEmail(uniqueEmail());
    const stranger = await users.upsertByEmail(uniqueEmail());
    const added: string[] = [];
    const off = events.on('system:agent_added', (userId, agent) => added.push(`${userId}:${agent.agentNumber}`));

    const created = await agents.create(owner.id, {
      agentNumber: 15,
      name: 'invoicing',
      config: { currency: 'EUR', taxRate: 0.2 },
    });
    expect(created).toMatchObject({ agentNumber: 15, name: 'invoicing', isActive: true, description: null });
    expect(created.config).toEqual({ currency: 'EUR', taxRate: 0.2 });
    expect(added).toEqual([`${owner.id}:15`]);
    await agents.create(owner.id, { agentNumber: 1, name: 'business-intelligence' });

    expect((await agents.list(owner.id)).map((a) => a.agentNumber)).toEqual([1, 15]);
    expect(await agents.list(stranger.id)).toEqual([]);
    await expect(agents.get(stranger.id, created.id)).rejects.toMatchObject({ code: ErrorCode.NotFound });

    const updated = await agents.update(owner.id, created.id, { config: { currency: 'USD' }, isActive: false });
    expect(updated).toMatchObject({ isActive: false, config: { currency: 'USD' }, name: 'invoicing' });
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.updatedAt).getTime());
    expect(await agents.get(owner.id, created.id)).toEqual(updated);

    await agents.delete(owner.id, created.id);
    await expect(agents.get(owner.id, created.id)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(agents.delete(owner.id, created.id)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    off();
  });

  it('refuses a second agent with the same number for one user, but not across users', async () => {
    const a = await users.upsertByEmail(uniqueEmail());
    const b = await users.upsertByEmail(uniqueEmail());
    await agents.create(a.id, { agentNumber: 7, name: 'web-scraping' });
    const dup = agents.create(a.id, { agentNumber: 7, name: 'again' });
    await expect(dup).rejects.toBeInstanceOf(DomainError);
    await expect(dup).rejects.toMatchObject({ code: ErrorCode.Conflict, message: 'you already have an agent #7' });
    await expect(agents.create(b.id, { agentNumber: 7, name: 'web-scraping' })).resolves.toMatchObject({
      agentNumber: 7,
    });
    expect((await agents.list(a.id)).map((x) => x.name)).toEqual(['web-scraping']);
  });

  it('round-trips workflows and protects the agents they connect', async () => {
    const owner = await users.upsertByEmail(uniqueEmail());
    const stranger = await users.upsertByEmail(uniqueEmail());
    const bi = await agents.create(owner.id, { agentNumber: 1, name: 'business-intelligence' });
    const inv = await agents.create(owner.id, { agentNumber: 15, name: 'invoicing' });
    const foreign = await agents.create(stranger.id, { agentNumber: 15, name: 'invoicing' });
    const updates: unknown[] = [];
    const off = events.on('system:workflow_updated', (_u, w) => updates.push(w));

    const wf = await workflows.create(owner.id, {
      sourceAgentId: bi.id,
      targetAgentId: inv.id,
      triggerConditions: { event: 'milestone.completed' },
    });
    expect(wf).toMatchObject({ sourceAgentId: bi.id, targetAgentId: inv.id, isActive: true });
    expect(await workflows.list(owner.id)).toEqual([wf]);
    expect(await workflows.list(stranger.id)).toEqual([]);

    await expect(workflows.create(owner.id, { sourceAgentId: bi.id, targetAgentId: foreign.id })).rejects.toMatchObject(
      { code: ErrorCode.Invalid, details: { targetAgentId: expect.any(String) } },
    );
    // An action for an agent this paios does not run could never fire.
    await expect(
      workflows.create(owner.id, { sourceAgentId: bi.id, targetAgentId: inv.id, actions: { tool: 'create_invoice' } }),
    ).rejects.toMatchObject({
      code: ErrorCode.Invalid,
      details: { targetAgentId: 'agent #15 does not run in this paios (agents: none)' },
    });

    const paused = await workflows.update(owner.id, wf.id, { isActive: false });
    expect(paused.isActive).toBe(false);
    expect(paused.triggerConditions).toEqual({ event: 'milestone.completed' });

    await expect(agents.delete(owner.id, inv.id)).rejects.toMatchObject({
      code: ErrorCode.Conflict,
      details: { workflowIds: [wf.id] },
    });
    expect((await agents.get(owner.id, inv.id)).id).toBe(inv.id);

    await workflows.delete(owner.id, wf.id);
    await expect(workflows.get(owner.id, wf.id)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await agents.delete(owner.id, inv.id);
    expect(updates).toHaveLength(3);
    expect(updates[2]).toMatchObject({ id: wf.id, deleted: true });
    off();
  });

  it('keeps interaction history when an agent is deleted, and drops its memory', async () => {
    const owner = await users.upsertByEmail(uniqueEmail());
    const agent = await agents.create(owner.id, { agentNumber: 18, name: 'research' });
    await db.dataSource.query(
      `INSERT INTO voice_interactions (user_id, agent_id, command_text) VALUES ($1, $2, 'find sources')`,
      [owner.id, agent.id],
    );
    await db.dataSource.query(`INSERT INTO agent_memory (agent_id, memory_type, content) VALUES ($1, 'note', '{}')`, [
      agent.id,
    ]);
    await agents.delete(owner.id, agent.id);
    const history = await db.dataSource.query<{ agent_id: string | null }[]>(
      `SELECT agent_id FROM voice_interactions WHERE user_id = $1`,
      [owner.id],
    );
    expect(history).toEqual([{ agent_id: null }]);
    const memory = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM agent_memory WHERE agent_id = $1`,
      [agent.id],
    );
    expect(memory[0]?.n).toBe(0);
  });
});
