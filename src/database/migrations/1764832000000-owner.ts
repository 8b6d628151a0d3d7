import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The owner of this paios, made explicit (`paios init --owner`, or the first `paios token create`)
 * instead of "whoever came first". An existing installation keeps the owner it had: its first user.
 */
export class Owner1764832000000 implements MigrationInterface {
  name = 'Owner1764832000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN is_owner BOOLEAN NOT NULL DEFAULT false`);
    await q.query(`CREATE UNIQUE INDEX users_one_owner ON users (is_owner) WHERE is_owner`);
    await q.query(`UPDATE users SET is_owner = true WHERE id = (SELECT id FROM users ORDER BY created_at, id LIMIT 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_one_owner`);
    await q.query(`ALTER TABLE users DROP COLUMN is_owner`);
  }
}
