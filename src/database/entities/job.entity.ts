import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type JobStatus = 'waiting' | 'active' | 'completed' | 'failed';

/** A job of the embedded (in-process) runner. Server mode keeps jobs in Redis via BullMQ instead. */
@Entity('jobs')
export class JobEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'jsonb' }) payload!: unknown;
  @Column({ type: 'varchar', length: 20 }) status!: JobStatus;
  @Column({ name: 'run_at', type: 'timestamptz' }) runAt!: Date;
  @Column({ name: 'attempts_made', type: 'integer' }) attemptsMade!: number;
  @Column({ name: 'max_attempts', type: 'integer' }) maxAttempts!: number;
  @Column({ name: 'backoff_type', type: 'varchar', length: 20 }) backoffType!: 'fixed' | 'exponential';
  @Column({ name: 'backoff_ms', type: 'integer' }) backoffMs!: number;
  @Column({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true }) idempotencyKey!: string | null;
  @Column({ name: 'scheduler_id', type: 'varchar', length: 255, nullable: true }) schedulerId!: string | null;
  /** The schedule's due time this job stands for. */
  @Column({ name: 'scheduled_for', type: 'timestamptz', nullable: true }) scheduledFor!: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil!: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** A repeatable (cron) schedule of the embedded runner; each due run becomes a row in `jobs`. */
@Entity('job_schedulers')
export class JobSchedulerEntity {
  @Column({ type: 'varchar', length: 255, primary: true }) id!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'jsonb' }) payload!: unknown;
  @Column({ type: 'varchar', length: 120 }) pattern!: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) tz!: string | null;
  @Column({ name: 'max_attempts', type: 'integer' }) maxAttempts!: number;
  @Column({ name: 'backoff_ms', type: 'integer' }) backoffMs!: number;
  @Column({ name: 'next_run_at', type: 'timestamptz' }) nextRunAt!: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
