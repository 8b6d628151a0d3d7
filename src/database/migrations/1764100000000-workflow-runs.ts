import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger that makes workflow actions run once: one row per (workflow, triggering event). A job
 * retried after a crash finds its row and either skips (done) or repeats the call with the same
 * idempotency key (the target tool recognises it).
 */
export class WorkflowRuns1764100000000 implements MigrationInterface {
  name = 'WorkflowRuns1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workflow_runs (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        workflow_id UUID NOT NULL REFERENCES agent_workflows(id) ON DELETE CASCADE,
        user_id UUID REFERENCES users(id),
        event_key VARCHAR(255) NOT NULL,
        event JSONB NOT NULL,
        status VARCHAR(20) NOT NULL DEFAULT 'running',
        attempts INTEGER NOT NULL DEFAULT 0,
        response JSONB,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        CONSTRAINT uq_workflow_runs_event UNIQUE (workflow_id, event_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS workflow_runs`);
  }
}
