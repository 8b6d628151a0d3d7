import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seed specification's seven tables and four indexes, verbatim, plus what paios adds:
 * user_identities (chat accounts paired with users), one agent per number per user, and the
 * embedded job runner's tables. Runs unchanged on PostgreSQL and PGlite.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        email VARCHAR(255) UNIQUE NOT NULL,
        created_at TIMESTAMP DEFAULT NOW(),
        updated_at TIMESTAMP DEFAULT NOW()
      )`);
    await q.query(`
      CREATE TABLE agents (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID REFERENCES users(id),
        agent_number INTEGER NOT NULL,
        name VARCHAR(255) NOT NULL,
        description TEXT,
        config JSONB DEFAULT '{}',
        is_active BOOLEAN DEFAULT true,
        created_at TIMESTAMP DEFAULT NOW(),
        updated_at TIMESTAMP DEFAULT NOW()
      )`);
    await q.query(`
      CREATE TABLE agent_workflows (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID REFERENCES users(id),
        source_agent_id UUID REFERENCES agents(id),
        target_agent_id UUID REFERENCES agents(id),
        trigger_conditions JSONB DEFAULT '{}',
        actions JSONB DEFAULT '{}',
        is_active BOOLEAN DEFAULT true,
        created_at TIMESTAMP DEFAULT NOW()
      )`);
    await q.query(`
      CREATE TABLE voice_interactions (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID REFERENCES users(id),
        agent_id UUID REFERENCES agents(id),
        command_text TEXT NOT NULL,
        response_text TEXT,
        execution_status VARCHAR(50) DEFAULT 'pending',
        execution_time_ms INTEGER,
        created_at TIMESTAMP DEFAULT NOW()
      )`);
    await q.query(`
      CREATE TABLE credentials (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID REFERENCES users(id),
        service_name VARCHAR(255) NOT NULL,
        encrypted_data TEXT NOT NULL,
        encryption_key_id VARCHAR(255) NOT NULL,
        created_at TIMESTAMP DEFAULT NOW(),
        updated_at TIMESTAMP DEFAULT NOW()
      )`);
    await q.query(`
      CREATE TABLE system_modifications (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID REFERENCES users(id),
        modification_type VARCHAR(100) NOT NULL,
        before_state JSONB,
        after_state JSONB,
        applied_at TIMESTAMP DEFAULT NOW(),
        rollback_available BOOLEAN DEFAULT true
      )`);
    await q.query(`
      CREATE TABLE agent_memory (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        agent_id UUID REFERENCES agents(id),
        memory_type VARCHAR(100) NOT NULL,
        content JSONB NOT NULL,
        relevance_score FLOAT DEFAULT 1.0,
        expires_at TIMESTAMP,
        created_at TIMESTAMP DEFAULT NOW()
      )`);

    // The seed's indexes.
    await q.query(`CREATE INDEX idx_agents_user_id ON agents(user_id)`);
    await q.query(`CREATE INDEX idx_voice_interactions_user_agent ON voice_interactions(user_id, agent_id)`);
    await q.query(`CREATE INDEX idx_agent_memory_type ON agent_memory(agent_id, memory_type)`);
    await q.query(`CREATE INDEX idx_workflows_user_id ON agent_workflows(user_id)`);

    // paios additions.
    await q.query(`CREATE UNIQUE INDEX uq_agents_user_number ON agents(user_id, agent_number)`);
    await q.query(`
      CREATE TABLE user_identities (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        platform VARCHAR(32) NOT NULL,
        platform_user_id VARCHAR(255) NOT NULL,
        workspace VARCHAR(255) NOT NULL DEFAULT '',
        created_at TIMESTAMP DEFAULT NOW(),
        CONSTRAINT uq_user_identities_platform_user UNIQUE (platform, workspace, platform_user_id)
      )`);
    await q.query(`CREATE INDEX idx_user_identities_user_id ON user_identities(user_id)`);
    await q.query(`
      CREATE TABLE jobs (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        name VARCHAR(200) NOT NULL,
        payload JSONB NOT NULL DEFAULT '{}',
        status VARCHAR(20) NOT NULL DEFAULT 'waiting',
        run_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        attempts_made INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL DEFAULT 1,
        backoff_type VARCHAR(20) NOT NULL DEFAULT 'exponential',
        backoff_ms INTEGER NOT NULL DEFAULT 1000,
        idempotency_key VARCHAR(255) UNIQUE,
        scheduler_id VARCHAR(255),
        last_error TEXT,
        locked_until TIMESTAMPTZ,
        finished_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE INDEX idx_jobs_due ON jobs(run_at) WHERE status = 'waiting'`);
    await q.query(`
      CREATE TABLE job_schedulers (
        id VARCHAR(255) PRIMARY KEY,
        name VARCHAR(200) NOT NULL,
        payload JSONB NOT NULL DEFAULT '{}',
        pattern VARCHAR(120) NOT NULL,
        tz VARCHAR(64),
        max_attempts INTEGER NOT NULL DEFAULT 1,
        backoff_ms INTEGER NOT NULL DEFAULT 1000,
        next_run_at TIMESTAMPTZ NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'job_schedulers',
      'jobs',
      'user_identities',
      'agent_memory',
      'system_modifications',
      'credentials',
      'voice_interactions',
      'agent_workflows',
      'agents',
      'users',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
