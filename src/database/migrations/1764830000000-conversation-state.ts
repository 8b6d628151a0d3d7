import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a conversation is waiting for, per person and chat: a clarifying question paios asked (the
 * request and the choices offered), so that "1", "the invoice one" or a pressed button answers it.
 * It expires; a row is replaced by the next question and removed once answered.
 */
export class ConversationState1764830000000 implements MigrationInterface {
  name = 'ConversationState1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conversation_state (
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        chat VARCHAR(400) NOT NULL,
        pending_choice JSONB NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, chat)
      )`);
    await q.query(`CREATE INDEX conversation_state_expires ON conversation_state (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE conversation_state`);
  }
}
