import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every repeatable job's last run, in both modes: which due time it was, when it started and
 * finished, how it ended and whether it ran late. A due time is claimed once, so a run missed
 * while paios was down is caught up exactly once at boot, and "which digests do I get" can say
 * when each one last ran and runs next.
 */
export class ScheduleRuns1764810000000 implements MigrationInterface {
  name = 'ScheduleRuns1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE job_schedulers
        ADD COLUMN last_due_at TIMESTAMPTZ,
        ADD COLUMN last_job_id VARCHAR(255),
        ADD COLUMN last_started_at TIMESTAMPTZ,
        ADD COLUMN last_finished_at TIMESTAMPTZ,
        ADD COLUMN last_outcome VARCHAR(20),
        ADD COLUMN last_error TEXT,
        ADD COLUMN last_late BOOLEAN NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE jobs ADD COLUMN scheduled_for TIMESTAMPTZ`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP COLUMN IF EXISTS scheduled_for`);
    for (const c of [
      'last_due_at',
      'last_job_id',
      'last_started_at',
      'last_finished_at',
      'last_outcome',
      'last_error',
      'last_late',
    ])
      await q.query(`ALTER TABLE job_schedulers DROP COLUMN IF EXISTS ${c}`);
  }
}
