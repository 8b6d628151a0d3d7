import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox: an agent's event is a row written in the same transaction as the state
 * change it reports, so a crash can never keep one and lose the other. A relay turns rows into
 * workflow jobs after commit, at boot and periodically, until `relayed_at` is set.
 */
export class EventOutbox1764800000000 implements MigrationInterface {
  name = 'EventOutbox1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_outbox (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        agent_number INTEGER NOT NULL,
        name VARCHAR(200) NOT NULL,
        payload JSONB NOT NULL DEFAULT '{}',
        request_id VARCHAR(255),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        relayed_at TIMESTAMPTZ
      )`);
    await q.query(`CREATE INDEX ix_event_outbox_pending ON event_outbox (created_at) WHERE relayed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS event_outbox`);
  }
}
