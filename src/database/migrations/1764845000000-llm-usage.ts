import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per model call: who it served, which agent asked, tokens, cost and time (budgets sum these). */
export class LlmUsage1764845000000 implements MigrationInterface {
  name = 'LlmUsage1764845000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE llm_usage (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID REFERENCES users(id) ON DELETE SET NULL,
        agent_number INTEGER,
        purpose VARCHAR(64) NOT NULL,
        provider VARCHAR(32) NOT NULL,
        model VARCHAR(128) NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cost_usd NUMERIC(14, 8) NOT NULL DEFAULT 0,
        duration_ms INTEGER NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX llm_usage_user_time ON llm_usage (user_id, created_at)`);
    await q.query(`CREATE INDEX llm_usage_agent_time ON llm_usage (agent_number, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE llm_usage`);
  }
}
