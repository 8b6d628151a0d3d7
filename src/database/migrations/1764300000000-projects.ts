import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Agent #1's projects and milestones (amount billable on completion, in minor units). */
export class Projects1764300000000 implements MigrationInterface {
  name = 'Projects1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projects (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id UUID NOT NULL REFERENCES users(id),
        client_id UUID NOT NULL REFERENCES clients(id),
        name VARCHAR(255) NOT NULL,
        budget_minor BIGINT CHECK (budget_minor >= 0),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_projects_user_name ON projects(user_id, lower(name))`);
    await q.query(`
      CREATE TABLE milestones (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name VARCHAR(255) NOT NULL,
        amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
        due_date DATE,
        completed_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_milestones_project_name ON milestones(project_id, lower(name))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS milestones`);
    await q.query(`DROP TABLE IF EXISTS projects`);
  }
}
