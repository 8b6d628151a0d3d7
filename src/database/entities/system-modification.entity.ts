import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('system_modifications')
export class SystemModificationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId!: string | null;
  @Column({ name: 'modification_type', type: 'varchar', length: 100 }) modificationType!: string;
  @Column({ name: 'before_state', type: 'jsonb', nullable: true }) beforeState!: unknown;
  @Column({ name: 'after_state', type: 'jsonb', nullable: true }) afterState!: unknown;
  @CreateDateColumn({ name: 'applied_at', type: 'timestamp', nullable: true }) appliedAt!: Date;
  @Column({ name: 'rollback_available', type: 'boolean', nullable: true, default: true })
  rollbackAvailable!: boolean | null;
}
