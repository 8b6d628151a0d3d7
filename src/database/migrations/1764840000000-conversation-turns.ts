import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The recent turns of each conversation (per person, chat and thread): what was said, the tool call
 * it became and its result, the answer, and the referents it left ("them", "that invoice"). Turns
 * expire; a sensitive turn keeps only that it happened.
 */
export class ConversationTurns1764840000000 implements MigrationInterface {
  name = 'ConversationTurns1764840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conversation_turns (
        -- In the order said: a clock standing still (tests) gives many turns one created_at.
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        conversation VARCHAR(500) NOT NULL,
        said TEXT NOT NULL,
        reply TEXT,
        agent_number INTEGER,
        tool VARCHAR(100),
        parameters JSONB,
        result JSONB,
        referents JSONB NOT NULL DEFAULT '{}',
        sensitive BOOLEAN NOT NULL DEFAULT false,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
      )`);
    await q.query(`CREATE INDEX conversation_turns_recent ON conversation_turns (user_id, conversation, id)`);
    await q.query(`CREATE INDEX conversation_turns_expires ON conversation_turns (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE conversation_turns`);
  }
}
