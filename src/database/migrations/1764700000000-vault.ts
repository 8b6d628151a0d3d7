import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The vault: each user's master key (Argon2id parameters in PHC form and a verifier, never the key),
 * which agent may read which service, and an append-only audit log (a trigger refuses UPDATE and
 * DELETE). Credentials keep the seed's table, with non-secret metadata beside the ciphertext.
 */
export class Vault1764700000000 implements MigrationInterface {
  name = 'Vault1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vault_keys (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kdf TEXT NOT NULL,
        verifier JSONB NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        retired_at TIMESTAMPTZ
      )`);
    await q.query(`CREATE UNIQUE INDEX vault_keys_one_active ON vault_keys (user_id) WHERE retired_at IS NULL`);
    await q.query(`
      CREATE TABLE vault_grants (
        user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        agent_number INTEGER NOT NULL,
        service_name VARCHAR(255) NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, agent_number, service_name)
      )`);
    await q.query(`
      CREATE TABLE vault_audit (
        id BIGSERIAL PRIMARY KEY,
        user_id UUID,
        action VARCHAR(32) NOT NULL,
        service_name VARCHAR(255),
        credential_id UUID,
        actor VARCHAR(64) NOT NULL,
        outcome VARCHAR(16) NOT NULL,
        at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX vault_audit_user_at ON vault_audit (user_id, at)`);
    await q.query(`
      CREATE FUNCTION vault_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'vault_audit is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER vault_audit_no_change BEFORE UPDATE OR DELETE ON vault_audit
      FOR EACH ROW EXECUTE FUNCTION vault_audit_append_only()`);
    await q.query(`ALTER TABLE credentials ADD COLUMN metadata JSONB NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE UNIQUE INDEX credentials_user_service ON credentials (user_id, service_name)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX credentials_user_service`);
    await q.query(`ALTER TABLE credentials DROP COLUMN metadata`);
    await q.query(`DROP TABLE vault_audit`);
    await q.query(`DROP FUNCTION vault_audit_append_only`);
    await q.query(`DROP TABLE vault_grants`);
    await q.query(`DROP TABLE vault_keys`);
  }
}
